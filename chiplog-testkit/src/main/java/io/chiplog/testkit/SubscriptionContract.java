package io.chiplog.testkit;

import static io.chiplog.testkit.Subscribers.HANG_GUARD;
import static io.chiplog.testkit.Subscribers.assertIdle;
import static io.chiplog.testkit.Subscribers.take;
import static io.chiplog.testkit.TestEvents.append;
import static io.chiplog.testkit.TestEvents.event;
import static io.chiplog.testkit.TestEvents.events;
import static io.chiplog.testkit.TestEvents.ids;
import static io.chiplog.testkit.TestEvents.positions;
import static io.chiplog.testkit.TestEvents.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.EventSubscription;
import io.chiplog.api.Query;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StoreClosedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions catch up, then follow live commits, in position order with no gap and no
 * duplicate, resumable, filtered, bounded in memory, and cancellable.
 */
public interface SubscriptionContract extends StoreContract {

  @Test
  default void catchUpDeliversStoredEventsInOrder(EventStore store) throws Exception {
    append(store, events(20, "Stored").toArray(EventData[]::new));

    try (var subscription = store.subscribe(Query.all(), 0)) {
      assertThat(take(subscription, 20)).isEqualTo(readAll(store));
      assertIdle(subscription);
    }
  }

  @Test
  default void liveEventsArriveWhileTheSubscriberWaits(EventStore store) throws Exception {
    try (var subscription = store.subscribe(Query.all(), 0)) {
      var waiting = CompletableFuture.supplyAsync(() -> pollOnce(subscription));
      append(store, event("Live"));

      RecordedEvent delivered = waiting.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);

      assertThat(delivered).isEqualTo(readAll(store).getFirst());
    }
  }

  private static RecordedEvent pollOnce(EventSubscription subscription) {
    try {
      RecordedEvent event = subscription.poll(HANG_GUARD);
      assertThat(event).as("no event within %s", HANG_GUARD).isNotNull();
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  default void afterCatchingUpOnlyNewEventsFollow(EventStore store) throws Exception {
    append(store, event("A"), event("B"), event("C"));
    try (var subscription = store.subscribe(Query.all(), 0)) {
      take(subscription, 3);
      assertIdle(subscription);

      append(store, event("D"), event("E"));

      assertThat(take(subscription, 2)).extracting(RecordedEvent::type).containsExactly("D", "E");
      assertIdle(subscription);
    }
  }

  @Test
  default void handOverFromCatchUpToLiveHasNoGapNoDuplicateWhileWritersAppend(EventStore store)
      throws Exception {
    append(store, events(500, "Before").toArray(EventData[]::new));
    int more = 2_000;
    var writer = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < more; i++) {
        append(store, event("During"));
      }
    });

    try (var subscription = store.subscribe(Query.all(), 0)) {
      List<RecordedEvent> delivered = take(subscription, 500 + more);
      writer.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);

      assertThat(delivered).isEqualTo(readAll(store));
      assertIdle(subscription);
    }
  }

  @Test
  default void resumingFromTheLastPositionSeenContinuesWithoutDuplicates(EventStore store)
      throws Exception {
    append(store, events(10, "E").toArray(EventData[]::new));
    long resumeAfter;
    try (var first = store.subscribe(Query.all(), 0)) {
      take(first, 4);
      resumeAfter = first.lastPosition();
    }
    append(store, events(3, "F").toArray(EventData[]::new));

    try (var second = store.subscribe(Query.all(), resumeAfter + 1)) {
      List<RecordedEvent> rest = take(second, 9);
      assertThat(rest).isEqualTo(readAll(store).subList(4, 13));
      assertIdle(second);
    }
  }

  @Test
  default void lastPositionFollowsWhatWasDelivered(EventStore store) throws Exception {
    append(store, events(5, "E").toArray(EventData[]::new));
    List<Long> positions = positions(readAll(store));

    try (var subscription = store.subscribe(Query.all(), positions.get(1))) {
      assertThat(subscription.lastPosition()).isEqualTo(positions.get(1) - 1);
      take(subscription, 2);
      assertThat(subscription.lastPosition()).isEqualTo(positions.get(2));
    }
  }

  @Test
  default void subscribingFromHeadPlusOneSeesOnlyNewEvents(EventStore store) throws Exception {
    append(store, events(5, "Old").toArray(EventData[]::new));

    try (var subscription = store.subscribe(Query.all(), store.head() + 1)) {
      assertIdle(subscription);
      append(store, event("New"));
      assertThat(take(subscription, 1)).extracting(RecordedEvent::type).containsExactly("New");
    }
  }

  @Test
  default void severalSubscribersEachGetEveryEvent(EventStore store) throws Exception {
    var subscriptions = List.of(
        store.subscribe(Query.all(), 0), store.subscribe(Query.all(), 0), store.subscribe(Query.all(), 0));
    try {
      for (int i = 0; i < 50; i++) {
        append(store, event("E"), event("E"));
      }
      for (var subscription : subscriptions) {
        assertThat(take(subscription, 100)).isEqualTo(readAll(store));
      }
    } finally {
      subscriptions.forEach(EventSubscription::close);
    }
  }

  @Test
  default void aFilteredSubscriptionDeliversOnlyMatchingEventsInOrder(EventStore store) throws Exception {
    var query = Query.tags("category:fiction");
    try (var subscription = store.subscribe(query, 0)) {
      for (int i = 0; i < 30; i++) {
        append(store, event("BookAdded", i % 3 == 0 ? "category:fiction" : "category:science"));
      }

      assertThat(take(subscription, 10)).isEqualTo(readAll(store, query));
      assertIdle(subscription);
    }
  }

  @Test
  default void aBatchPollReturnsAtMostMaxEvents(EventStore store) throws Exception {
    append(store, events(10, "E").toArray(EventData[]::new));

    try (var subscription = store.subscribe(Query.all(), 0)) {
      List<RecordedEvent> batch = subscription.poll(4, HANG_GUARD);
      assertThat(batch).hasSizeBetween(1, 4);
      assertThat(batch).isEqualTo(readAll(store).subList(0, batch.size()));
    }
  }

  @Test
  default void aStalledSubscriberHoldsABoundedBufferAndSlowsNobody(EventStore store) throws Exception {
    try (var stalled = store.subscribe(Query.all(), 0);
        var active = store.subscribe(Query.all(), 0)) {
      assertIdle(stalled);
      int count = (Math.max(2_000, stalled.bufferCapacity() * 4) + 99) / 100 * 100;
      for (int i = 0; i < count / 100; i++) {
        append(store, events(100, "E").toArray(EventData[]::new));
      }

      assertThat(take(active, count)).hasSize(count);
      assertThat(stalled.bufferedEvents()).isLessThanOrEqualTo(stalled.bufferCapacity());
      assertThat(stalled.bufferCapacity()).isLessThan(count);

      // The stalled one still gets everything, in order, once it reads again.
      assertThat(ids(take(stalled, count))).isEqualTo(ids(readAll(store)));
    }
  }

  @Test
  default void closingASubscriptionEndsABlockedPoll(EventStore store) throws Exception {
    var subscription = store.subscribe(Query.all(), 0);
    var started = new CountDownLatch(1);
    var blocked = CompletableFuture.supplyAsync(() -> {
      started.countDown();
      try {
        return subscription.poll(10, HANG_GUARD);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    started.await();

    subscription.close();

    // Whether close came before or during the poll, the poll ends: empty, or refused as closed.
    assertThat(blocked.handle((events, error) -> error == null ? events.isEmpty()
            : error.getCause() instanceof IllegalStateException)
        .get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> subscription.poll(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  default void closingTheStoreEndsItsSubscriptions(EventStore store) throws Exception {
    var subscription = store.subscribe(Query.all(), 0);
    var started = new CountDownLatch(1);
    var blocked = CompletableFuture.runAsync(() -> {
      started.countDown();
      try {
        subscription.poll(10, HANG_GUARD);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    started.await();

    store.close();

    assertThatThrownBy(() -> blocked.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS))
        .hasCauseInstanceOf(StoreClosedException.class);
  }
}

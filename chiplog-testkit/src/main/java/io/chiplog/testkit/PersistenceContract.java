package io.chiplog.testkit;

import static io.chiplog.testkit.Subscribers.take;
import static io.chiplog.testkit.TestEvents.appendTo;
import static io.chiplog.testkit.TestEvents.event;
import static io.chiplog.testkit.TestEvents.readAll;
import static io.chiplog.testkit.TestEvents.readStream;
import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.AppendCondition;
import io.chiplog.api.AppendConflictException;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventStore;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** Everything a persistent backend stored survives closing and reopening it. */
public interface PersistenceContract extends StoreContract {

  /** Opens again the storage behind {@code closed}, which the test has closed. */
  EventStore reopen(EventStore closed);

  /** Closes {@code store} and opens it again. */
  private EventStore cycle(EventStore store) {
    store.close();
    return reopen(store);
  }

  @Test
  default void everyEventAndFieldSurvivesReopening(EventStore store) {
    appendTo(store, "book-1", ExpectedRevision.noStream(), event("BookAdded", "category:fiction"), event("BookLent"));
    store.append(AppendRequest.of(event("Loose").withMetadata("{\"actor\":\"ada\"}")));
    List<RecordedEvent> before = readAll(store);
    long head = store.head();

    try (EventStore reopened = cycle(store)) {
      assertThat(readAll(reopened)).isEqualTo(before);
      assertThat(reopened.head()).isEqualTo(head);
      assertThat(readStream(reopened, "book-1", ReadOptions.forwards())).hasSize(2);
    }
  }

  @Test
  default void positionsAndRevisionsContinueAfterReopening(EventStore store) {
    appendTo(store, "s", ExpectedRevision.noStream(), event("A"), event("B"));
    long head = store.head();

    try (EventStore reopened = cycle(store)) {
      var result = appendTo(reopened, "s", ExpectedRevision.exactly(1), event("C"));
      assertThat(result.firstPosition()).isGreaterThan(head);
      assertThat(result.streamRevision()).isEqualTo(2);
    }
  }

  @Test
  default void checksSeeEventsFromBeforeReopening(EventStore store) {
    appendTo(store, "s", ExpectedRevision.noStream(), event("BookAdded", "category:fiction"));
    var retry = AppendRequest.of(event("Paid"));
    var original = store.append(retry);

    try (EventStore reopened = cycle(store)) {
      Assertions.assertThatThrownBy(() -> appendTo(reopened, "s", ExpectedRevision.noStream(), event("X")))
          .isInstanceOf(AppendConflictException.class);
      Assertions.assertThatThrownBy(() -> reopened.append(AppendRequest.of(event("Y"))
              .withCondition(AppendCondition.failIfEventsMatch(Query.tags("category:fiction")))))
          .isInstanceOf(AppendConflictException.class);
      assertThat(reopened.append(retry)).isEqualTo(original);
      assertThat(readAll(reopened)).hasSize(2);
    }
  }

  @Test
  default void subscriptionsCatchUpOnAReopenedStore(EventStore store) throws Exception {
    for (int i = 0; i < 10; i++) {
      store.append(AppendRequest.of(event("E")));
    }
    List<RecordedEvent> before = readAll(store);

    try (EventStore reopened = cycle(store);
        var subscription = reopened.subscribe(Query.all(), 0)) {
      assertThat(take(subscription, 10)).isEqualTo(before);
    }
  }

  @Test
  default void reopeningAnEmptyStoreGivesAnEmptyStore(EventStore store) {
    try (EventStore reopened = cycle(store)) {
      assertThat(reopened.head()).isZero();
      assertThat(readAll(reopened)).isEmpty();
    }
  }
}

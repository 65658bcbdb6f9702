package io.chiplog.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.api.memory.InMemoryEventStore;
import io.chiplog.views.Tallies.Added;
import io.chiplog.views.Tallies.Tally;
import io.chiplog.views.Tallies.TallyEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ViewsTest {
  private static final int KEYS = 40;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final InMemoryEventStore events = InMemoryEventStore.create();
  private final InMemoryViewStore store = new InMemoryViewStore();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void closeStore() {
    events.close();
  }

  private Views start(View<?> view) {
    return Views.builder(events, store).meterRegistry(registry).options(ViewOptions.defaults().withBatchSizeMax(300)).add(view).start();
  }

  /** Every key's value as the view has it, for the keys a test writes. */
  static Map<String, Tally> contents(ViewReader<Tally> reader) {
    var values = new HashMap<String, Tally>();
    for (int i = 0; i < KEYS; i++) {
      Tally tally = reader.get("k" + i);
      if (tally != null) {
        values.put("k" + i, tally);
      }
    }
    return values;
  }

  @Test
  void aViewIsTheFoldOfTheLogAndIsReadByKey() {
    long last = Tallies.append(events, new Random(1), 3_000, KEYS);
    try (Views views = start(Tallies.view(1))) {
      ViewReader<Tally> reader = views.reader(Tallies.view(1));
      reader.get("k0", last, WAIT);
      assertThat(contents(reader)).isEqualTo(Tallies.fromScratch(events, last)).hasSizeGreaterThan(KEYS / 2);
      assertThat(views.status("tallies").position()).isEqualTo(last);
      assertThat(views.status("tallies").lag()).isZero();
      assertThat(registry.get("chiplog.view.position").tag("view", "tallies").gauge().value()).isEqualTo(last);
      assertThat(registry.get("chiplog.view.events").tag("view", "tallies").functionCounter().count()).isEqualTo(3_000);
    }
  }

  @Test
  void aReadWithMinPositionSeesTheWriteItWaitsFor() {
    try (Views views = start(Tallies.view(1))) {
      ViewReader<Tally> reader = views.reader(Tallies.view(1));
      for (int i = 1; i <= 50; i++) {
        long position = events.append(AppendRequest.of(Tallies.TYPES.encode(new Added("k1", 1)))).lastPosition();
        Tally tally = reader.get("k1", position, WAIT);
        assertThat(tally).isNotNull();
        assertThat(tally.count()).isEqualTo(i);
        assertThat(tally.lastPosition()).isEqualTo(position);
        ViewValue<Tally> read = reader.read("k1", position);
        assertThat(read.position()).isGreaterThanOrEqualTo(position);
        assertThat(read.value()).isEqualTo(tally);
      }
    }
  }

  @Test
  void aReadForAPositionNotYetWrittenSaysNotYet() {
    try (Views views = start(Tallies.view(1))) {
      ViewReader<Tally> reader = views.reader(Tallies.view(1));
      assertThatThrownBy(() -> reader.get("k1", 5, Duration.ofMillis(50)))
          .isInstanceOfSatisfying(ViewNotCaughtUpException.class, e -> {
            assertThat(e.view()).isEqualTo("tallies");
            assertThat(e.minPosition()).isEqualTo(5);
            assertThat(e.position()).isZero();
          });
    }
  }

  @Test
  void aWaitForAnEventTheViewDoesNotFoldEnds() {
    try (Views views = start(Tallies.view(1))) {
      long position = events.append(AppendRequest.of(EventData.of("SomethingElse", new byte[] {'{', '}'}))).lastPosition();
      views.awaitPosition("tallies", position, WAIT);
      assertThat(views.position("tallies")).isGreaterThanOrEqualTo(position);
    }
  }

  @Test
  void anEventWhoseFoldKeepsFailingStopsTheViewThereUntilResumed() throws Exception {
    long before = Tallies.append(events, new Random(2), 1_000, KEYS);
    long poison = events.append(AppendRequest.of(Tallies.TYPES.encode(new Added("k3", 13_000)))).lastPosition();
    long after = Tallies.append(events, new Random(3), 500, KEYS);
    var broken = new AtomicBoolean(true);
    var attempts = new AtomicLong();
    KeyValueView<TallyEvent, Tally> fragile = KeyValueView.builder("tallies", Tallies.TYPES, Tally.class)
        .apply((event, changes) -> {
          if (event.event() instanceof Added added && added.amount() == 13_000 && broken.get()) {
            attempts.incrementAndGet();
            throw new IllegalStateException("cannot handle 13000");
          }
          Tallies.view(1).handler().apply(event, changes);
        })
        .build();
    var options = ViewOptions.defaults().withBatchSizeMax(300).withRetries(3, Duration.ofMillis(1), Duration.ofMillis(2));
    try (Views views = Views.builder(events, store).options(options).meterRegistry(registry).add(fragile).start()) {
      // A wait for the poison's position ends when the view fails, saying why.
      assertThatThrownBy(() -> views.awaitPosition("tallies", poison, WAIT))
          .isInstanceOf(ViewNotCaughtUpException.class)
          .hasMessageContaining("FAILED at position " + poison);
      ViewStatus failed = views.status("tallies");
      assertThat(failed.state()).isEqualTo(ViewState.FAILED);
      assertThat(failed.position()).isEqualTo(poison - 1);
      assertThat(failed.failure()).isNotNull();
      assertThat(failed.failure().position()).isEqualTo(poison);
      assertThat(failed.failure().eventType()).isEqualTo("Added");
      assertThat(failed.failure().error()).contains("cannot handle 13000");
      assertThat(failed.failure().attempts()).isEqualTo(3);
      assertThat(attempts.get()).isEqualTo(4); // once in its batch, then three times alone
      assertThat(contents(views.reader(fragile))).isEqualTo(Tallies.fromScratch(events, before));
      assertThat(registry.get("chiplog.view.failed").tag("view", "tallies").gauge().value()).isEqualTo(1);

      // A read that waits for a position after the failure is answered at once, saying why.
      long asked = System.nanoTime();
      assertThatThrownBy(() -> views.reader(fragile).get("k3", poison, WAIT))
          .isInstanceOf(ViewNotCaughtUpException.class)
          .hasMessageContaining("FAILED at position " + poison);
      assertThat(System.nanoTime() - asked).isLessThan(WAIT.toNanos() / 2);

      broken.set(false);
      assertThat(views.resume("tallies")).isTrue();
      ViewReader<Tally> reader = views.reader(fragile);
      reader.get("k0", after, WAIT);
      assertThat(contents(reader)).isEqualTo(Tallies.fromScratch(events, after));
      assertThat(views.status("tallies").state()).isEqualTo(ViewState.RUNNING);
      assertThat(views.resume("tallies")).isFalse();
    }
  }

  @Test
  void aRebuildWhileWritersRunSwitchesToAViewEqualToTheFoldFromScratch() throws Exception {
    Tallies.append(events, new Random(4), 5_000, KEYS);
    try (Views views = start(Tallies.view(1))) {
      CompletableFuture<ViewStatus> switched = views.rebuild(Tallies.view(2));
      // The writer keeps writing until the switch: the rebuild must catch up with a moving head.
      Thread writer = Thread.ofPlatform().start(() -> {
        var random = new Random(5);
        while (!switched.isDone()) {
          Tallies.append(events, random, 20, KEYS);
        }
      });
      ViewStatus status = switched.get(60, TimeUnit.SECONDS);
      writer.join();
      assertThat(status.version()).isEqualTo(2);
      assertThat(status.rebuild()).isNull();
      long last = events.head();
      ViewReader<Tally> reader = views.reader(Tallies.view(2));
      reader.get("k0", last, WAIT);
      assertThat(contents(reader)).isEqualTo(Tallies.fromScratch(events, last));
      assertThat(store.size("tallies_v1_1")).as("the old version is dropped").isZero();
      assertThat(store.liveSpace("tallies")).isEqualTo("tallies_v2_2");
    }
  }

  @Test
  void aRebuildOfAViewBeingRebuiltIsRefused() throws Exception {
    Tallies.append(events, new Random(6), 2_000, KEYS);
    var release = new CountDownLatch(1);
    KeyValueView<TallyEvent, Tally> held = KeyValueView.builder("tallies", Tallies.TYPES, Tally.class)
        .version(2)
        .apply((event, changes) -> {
          awaitQuietly(release); // the build cannot finish before the second rebuild is asked for
          Tallies.view(2).handler().apply(event, changes);
        })
        .build();
    try (Views views = start(Tallies.view(1))) {
      var first = views.rebuild(held);
      assertThatThrownBy(() -> views.rebuild(Tallies.view(3)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already being rebuilt");
      release.countDown();
      assertThat(first.get(30, TimeUnit.SECONDS).version()).isEqualTo(2);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aPointInTimeBuildFoldsTheLogUpToItsPosition() throws Exception {
    long middle = Tallies.append(events, new Random(7), 2_000, KEYS);
    Tallies.append(events, new Random(8), 2_000, KEYS);
    var throwaway = new InMemoryViewStore();
    ViewReader<Tally> then = Views.buildAt(events, Tallies.view(1), middle, throwaway, ViewOptions.defaults());
    assertThat(then.position()).isEqualTo(middle);
    assertThat(contents(then)).isEqualTo(Tallies.fromScratch(events, middle));
    assertThatThrownBy(() -> then.get("k1", middle + 1)).isInstanceOf(ViewNotCaughtUpException.class);
    assertThatThrownBy(() -> Views.buildAt(events, Tallies.view(1), events.head() + 1, throwaway, ViewOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void badDefinitionsAreRefusedWithClearErrors() {
    assertThatThrownBy(() -> KeyValueView.builder("Bad Name", Tallies.TYPES, Tally.class))
        .hasMessageContaining("lower-case");
    assertThatThrownBy(() -> KeyValueView.builder("ok", Tallies.TYPES, Tally.class).build())
        .hasMessageContaining("apply(...) or fold(...)");
    assertThatThrownBy(() -> Views.builder(events, store).add(Tallies.view(1)).add(Tallies.view(2)))
        .hasMessageContaining("two views are named tallies");
    try (Views views = start(Tallies.view(1))) {
      assertThatThrownBy(() -> views.status("nope")).hasMessageContaining("no view named 'nope'");
    }
  }
}

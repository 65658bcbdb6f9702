package io.chiplog.testkit;

import static io.chiplog.testkit.TestEvents.appendTo;
import static io.chiplog.testkit.TestEvents.event;
import static io.chiplog.testkit.TestEvents.events;
import static io.chiplog.testkit.TestEvents.readAll;
import static io.chiplog.testkit.TestEvents.readStream;
import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.AppendCondition;
import io.chiplog.api.AppendConflictException;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.ConflictReason;
import io.chiplog.api.EventStore;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Racing threads: optimistic checks let exactly one of many competing appends win; independent
 * appends all land, each once; readers see whole appends only.
 */
public interface ConcurrencyContract extends StoreContract {
  /** Threads racing for the same check, as in the issue: 32. */
  int RACERS = 32;

  /** Rounds of each race. */
  int ROUNDS = 20;

  /** Starts every task at once and returns how many appended (the rest must have conflicted). */
  private static int race(ExecutorService pool, List<Callable<Boolean>> appends) throws Exception {
    var start = new CountDownLatch(1);
    var futures = new ArrayList<Future<Boolean>>();
    for (Callable<Boolean> append : appends) {
      futures.add(pool.submit(() -> {
        start.await();
        return append.call();
      }));
    }
    start.countDown();
    int winners = 0;
    for (Future<Boolean> future : futures) {
      if (future.get(Subscribers.HANG_GUARD.toSeconds(), TimeUnit.SECONDS)) {
        winners++;
      }
    }
    return winners;
  }

  /** Runs the append; true when it was written, false when it conflicted for {@code reason}. */
  private static boolean attempt(Class<? extends ConflictReason> reason, Runnable append) {
    try {
      append.run();
      return true;
    } catch (AppendConflictException e) {
      assertThat(e.reason()).isInstanceOf(reason);
      return false;
    }
  }

  @Test
  default void racersOnTheSameExpectedRevisionHaveOneWinnerPerRound(EventStore store) throws Exception {
    try (var pool = Executors.newFixedThreadPool(RACERS)) {
      for (int round = 0; round < ROUNDS; round++) {
        ExpectedRevision expected = round == 0 ? ExpectedRevision.noStream() : ExpectedRevision.exactly(round - 1);
        var appends = new ArrayList<Callable<Boolean>>();
        for (int i = 0; i < RACERS; i++) {
          appends.add(() -> attempt(ConflictReason.RevisionMismatch.class,
              () -> appendTo(store, "contested", expected, event("Claimed"))));
        }

        assertThat(race(pool, appends)).as("winners in round %d", round).isEqualTo(1);
      }
    }
    assertThat(readStream(store, "contested", ReadOptions.forwards())).hasSize(ROUNDS);
  }

  @Test
  default void racersOnTheSameConditionHaveOneWinnerPerRound(EventStore store) throws Exception {
    var boundary = Query.of(QueryItem.types("NumberTaken").withTags("category:fiction"));
    try (var pool = Executors.newFixedThreadPool(RACERS)) {
      for (int round = 0; round < ROUNDS; round++) {
        long seen = store.head();
        var condition = AppendCondition.failIfEventsMatch(boundary).after(seen);
        var appends = new ArrayList<Callable<Boolean>>();
        for (int i = 0; i < RACERS; i++) {
          appends.add(() -> attempt(ConflictReason.ConditionMatched.class,
              () -> store.append(AppendRequest.of(event("NumberTaken", "category:fiction")).withCondition(condition))));
        }

        assertThat(race(pool, appends)).as("winners in round %d", round).isEqualTo(1);
      }
    }
    assertThat(readAll(store, boundary)).hasSize(ROUNDS);
  }

  @Test
  default void writersOnDistinctStreamsAllLandOnceWithUniquePositions(EventStore store) throws Exception {
    int writers = 16;
    int perWriter = 200;
    try (var pool = Executors.newFixedThreadPool(writers)) {
      var appends = new ArrayList<Callable<Boolean>>();
      for (int w = 0; w < writers; w++) {
        String stream = "writer-" + w;
        appends.add(() -> {
          for (int r = 0; r < perWriter; r++) {
            ExpectedRevision expected = r == 0 ? ExpectedRevision.noStream() : ExpectedRevision.exactly(r - 1);
            appendTo(store, stream, expected, event("Wrote", "writer:" + stream));
          }
          return true;
        });
      }
      assertThat(race(pool, appends)).isEqualTo(writers);
    }

    List<RecordedEvent> all = readAll(store);
    assertThat(all).hasSize(writers * perWriter);
    assertThat(all).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
    assertThat(all).extracting(RecordedEvent::id).doesNotHaveDuplicates();
    var revisionsByStream = new HashMap<String, List<Long>>();
    for (RecordedEvent event : all) {
      revisionsByStream.computeIfAbsent(event.stream(), s -> new ArrayList<>()).add(event.revision());
    }
    List<Long> expected = java.util.stream.LongStream.range(0, perWriter).boxed().toList();
    assertThat(revisionsByStream).hasSize(writers).allSatisfy((stream, revisions) ->
        assertThat(revisions).as(stream).isEqualTo(expected));
  }

  @Test
  default void readersNeverSeePartOfAnAppend(EventStore store) throws Exception {
    int batch = 10;
    var done = new AtomicBoolean();
    try (var pool = Executors.newFixedThreadPool(2)) {
      Future<?> writer = pool.submit(() -> {
        for (int i = 0; i < 200; i++) {
          store.append(AppendRequest.of(events(batch, "Part")));
        }
        done.set(true);
        return null;
      });
      Future<Integer> reader = pool.submit(() -> {
        int reads = 0;
        do {
          int seen = readAll(store).size();
          assertThat(seen % batch).as("events seen in one read").isZero();
          reads++;
        } while (!done.get());
        return reads;
      });
      writer.get(Subscribers.HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
      assertThat(reader.get(Subscribers.HANG_GUARD.toSeconds(), TimeUnit.SECONDS)).isPositive();
    }
  }
}

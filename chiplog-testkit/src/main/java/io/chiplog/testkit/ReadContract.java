package io.chiplog.testkit;

import static io.chiplog.testkit.TestEvents.append;
import static io.chiplog.testkit.TestEvents.event;
import static io.chiplog.testkit.TestEvents.positions;
import static io.chiplog.testkit.TestEvents.read;
import static io.chiplog.testkit.TestEvents.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.EventStore;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reads by query start at a position (inclusive), go either way, and stop at a limit. */
public interface ReadContract extends StoreContract {

  /** Appends ten events alternating types Even/Odd and returns their positions. */
  private static List<Long> tenEvents(EventStore store) {
    for (int i = 1; i <= 10; i++) {
      append(store, event(i % 2 == 0 ? "Even" : "Odd", "n:" + i));
    }
    return positions(readAll(store));
  }

  @Test
  default void readsFromAPositionInclusively(EventStore store) {
    List<Long> all = tenEvents(store);

    assertThat(positions(read(store, Query.all(), ReadOptions.forwards().from(all.get(4)))))
        .isEqualTo(all.subList(4, 10));
  }

  @Test
  default void readFromZeroOrOneStartsAtTheBeginning(EventStore store) {
    List<Long> all = tenEvents(store);

    assertThat(positions(read(store, Query.all(), ReadOptions.forwards().from(0)))).isEqualTo(all);
    assertThat(positions(read(store, Query.all(), ReadOptions.forwards().from(1)))).isEqualTo(all);
  }

  @Test
  default void readFromBeyondTheHeadIsEmpty(EventStore store) {
    tenEvents(store);

    assertThat(read(store, Query.all(), ReadOptions.forwards().from(store.head() + 1))).isEmpty();
  }

  @Test
  default void readsBackwardsNewestFirst(EventStore store) {
    List<Long> all = tenEvents(store);

    assertThat(positions(read(store, Query.all(), ReadOptions.backwards())))
        .isEqualTo(all.reversed());
  }

  @Test
  default void readsBackwardsFromAPositionInclusively(EventStore store) {
    List<Long> all = tenEvents(store);

    assertThat(positions(read(store, Query.all(), ReadOptions.backwards().from(all.get(3)))))
        .isEqualTo(all.subList(0, 4).reversed());
  }

  @Test
  default void limitCapsTheNumberOfEvents(EventStore store) {
    List<Long> all = tenEvents(store);

    assertThat(positions(read(store, Query.all(), ReadOptions.forwards().limit(3))))
        .isEqualTo(all.subList(0, 3));
  }

  @Test
  default void backwardsWithLimitGivesTheNewest(EventStore store) {
    List<Long> all = tenEvents(store);

    assertThat(positions(read(store, Query.all(), ReadOptions.backwards().limit(2))))
        .containsExactly(all.get(9), all.get(8));
  }

  @Test
  default void limitZeroReadsNothing(EventStore store) {
    tenEvents(store);

    assertThat(read(store, Query.all(), ReadOptions.forwards().limit(0))).isEmpty();
  }

  @Test
  default void limitCountsMatchingEventsNotScannedOnes(EventStore store) {
    List<Long> all = tenEvents(store);

    List<RecordedEvent> evens =
        read(store, Query.types("Even"), ReadOptions.forwards().from(all.get(2)).limit(2));

    assertThat(evens).extracting(RecordedEvent::tags).containsExactly(
        java.util.Set.of("n:4"), java.util.Set.of("n:6"));
  }

  @Test
  default void queryFromAndDirectionCombine(EventStore store) {
    List<Long> all = tenEvents(store);

    List<RecordedEvent> odds =
        read(store, Query.types("Odd"), ReadOptions.backwards().from(all.get(6)).limit(10));

    assertThat(positions(odds)).containsExactly(all.get(6), all.get(4), all.get(2), all.get(0));
  }

  @Test
  default void readingAnEmptyStoreGivesNothing(EventStore store) {
    assertThat(readAll(store)).isEmpty();
    assertThat(read(store, Query.all(), ReadOptions.backwards())).isEmpty();
  }

  @Test
  default void negativePositionsAndLimitsAreRefused(EventStore store) {
    assertThatThrownBy(() -> ReadOptions.forwards().from(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> ReadOptions.forwards().limit(-5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-5");
    assertThatThrownBy(() -> store.subscribe(Query.all(), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

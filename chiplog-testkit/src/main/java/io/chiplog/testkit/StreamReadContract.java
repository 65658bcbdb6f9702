package io.chiplog.testkit;

import static io.chiplog.testkit.TestEvents.append;
import static io.chiplog.testkit.TestEvents.appendTo;
import static io.chiplog.testkit.TestEvents.event;
import static io.chiplog.testkit.TestEvents.readStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.EventStore;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.InvalidEventException;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StreamNotFoundException;
import org.junit.jupiter.api.Test;

/** Reads of one stream go by revision; an unknown stream is an error, not an empty read. */
public interface StreamReadContract extends StoreContract {

  /** Interleaves five events of "cart-1" with events of another stream and of none. */
  private static void interleaved(EventStore store) {
    for (int i = 0; i < 5; i++) {
      appendTo(store, "cart-1", ExpectedRevision.any(), event("ItemAdded", "item:" + i));
      appendTo(store, "cart-2", ExpectedRevision.any(), event("ItemAdded", "item:" + i));
      append(store, event("Noise"));
    }
  }

  @Test
  default void readsAStreamInRevisionOrderWithOnlyItsEvents(EventStore store) {
    interleaved(store);

    var events = readStream(store, "cart-1", ReadOptions.forwards());

    assertThat(events).extracting(RecordedEvent::revision).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(events).extracting(RecordedEvent::stream).containsOnly("cart-1");
    assertThat(events).extracting(RecordedEvent::position).isSorted();
  }

  @Test
  default void readsAStreamFromARevisionInclusively(EventStore store) {
    interleaved(store);

    assertThat(readStream(store, "cart-1", ReadOptions.forwards().from(3)))
        .extracting(RecordedEvent::revision)
        .containsExactly(3L, 4L);
  }

  @Test
  default void readsAStreamBackwards(EventStore store) {
    interleaved(store);

    assertThat(readStream(store, "cart-1", ReadOptions.backwards()))
        .extracting(RecordedEvent::revision)
        .containsExactly(4L, 3L, 2L, 1L, 0L);
    assertThat(readStream(store, "cart-1", ReadOptions.backwards().from(1)))
        .extracting(RecordedEvent::revision)
        .containsExactly(1L, 0L);
  }

  @Test
  default void readsAStreamWithALimit(EventStore store) {
    interleaved(store);

    assertThat(readStream(store, "cart-1", ReadOptions.forwards().from(1).limit(2)))
        .extracting(RecordedEvent::revision)
        .containsExactly(1L, 2L);
    assertThat(readStream(store, "cart-1", ReadOptions.backwards().limit(1)))
        .extracting(RecordedEvent::revision)
        .containsExactly(4L);
  }

  @Test
  default void readingPastTheLastRevisionOfAnExistingStreamIsEmpty(EventStore store) {
    interleaved(store);

    assertThat(readStream(store, "cart-1", ReadOptions.forwards().from(5))).isEmpty();
  }

  @Test
  default void readingAnUnknownStreamFailsWithStreamNotFound(EventStore store) {
    interleaved(store);

    assertThatThrownBy(() -> readStream(store, "cart-3", ReadOptions.forwards()))
        .isInstanceOfSatisfying(
            StreamNotFoundException.class, e -> assertThat(e.stream()).isEqualTo("cart-3"));
  }

  @Test
  default void streamNamesAreCaseSensitive(EventStore store) {
    appendTo(store, "Cart-1", ExpectedRevision.noStream(), event("A"));
    appendTo(store, "cart-1", ExpectedRevision.noStream(), event("B"));

    assertThat(readStream(store, "Cart-1", ReadOptions.forwards()))
        .extracting(RecordedEvent::type)
        .containsExactly("A");
  }

  @Test
  default void readingAStreamWithAnInvalidNameIsRefused(EventStore store) {
    assertThatThrownBy(() -> readStream(store, "has space", ReadOptions.forwards()))
        .isInstanceOfSatisfying(
            InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("stream"));
  }
}

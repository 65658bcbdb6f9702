package io.chiplog.testkit;

import static io.chiplog.testkit.TestEvents.append;
import static io.chiplog.testkit.TestEvents.appendTo;
import static io.chiplog.testkit.TestEvents.event;
import static io.chiplog.testkit.TestEvents.events;
import static io.chiplog.testkit.TestEvents.ids;
import static io.chiplog.testkit.TestEvents.idsOf;
import static io.chiplog.testkit.TestEvents.positions;
import static io.chiplog.testkit.TestEvents.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.AppendConflictException;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.RecordedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Appends and reads round-trip every field; positions and revisions are assigned as specified. */
public interface AppendContract extends StoreContract {

  @Test
  default void appendedEventReadsBackWithEveryField(EventStore store) {
    var id = UUID.randomUUID();
    byte[] data = "{\"title\":\"Dune\",\"pages\":412}".getBytes(StandardCharsets.UTF_8);
    byte[] metadata = "{\"actor\":\"ada\",\"correlationId\":\"c-1\"}".getBytes(StandardCharsets.UTF_8);
    var written = new EventData(id, "BookAdded", Set.of("category:fiction", "book:42"), data, metadata);
    Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);

    var result = appendTo(store, "book-42", ExpectedRevision.noStream(), written);

    Instant after = Instant.now();
    List<RecordedEvent> read = readAll(store);
    assertThat(read).hasSize(1);
    RecordedEvent event = read.getFirst();
    assertThat(event.position()).isEqualTo(result.firstPosition()).isGreaterThanOrEqualTo(1);
    assertThat(event.id()).isEqualTo(id);
    assertThat(event.type()).isEqualTo("BookAdded");
    assertThat(event.tags()).containsExactlyInAnyOrder("category:fiction", "book:42");
    assertThat(event.data()).isEqualTo(data);
    assertThat(event.metadata()).isEqualTo(metadata);
    assertThat(event.stream()).isEqualTo("book-42");
    assertThat(event.revision()).isZero();
    assertThat(event.recordedAt()).isBetween(before.minusSeconds(1), after.plusSeconds(1));
    assertThat(event.toEventData()).isEqualTo(written);
  }

  @Test
  default void binaryDataRoundTripsByteForByte(EventStore store) {
    byte[] every = new byte[256];
    for (int i = 0; i < every.length; i++) {
      every[i] = (byte) i;
    }
    append(store, EventData.of("Blob", every), EventData.of("Empty", new byte[0]));

    List<RecordedEvent> read = readAll(store);
    assertThat(read.get(0).data()).isEqualTo(every);
    assertThat(read.get(1).data()).isEmpty();
  }

  @Test
  default void unicodeTagsAndMetadataRoundTrip(EventStore store) {
    var written = event("Note", "author:Zoë", "city:東京", "emoji:🚢")
        .withMetadata("{\"actor\":\"Zoë 東京 🚢\",\"nested\":{\"a\":[1,2.5e3,null,true]}}");
    append(store, written);

    assertThat(readAll(store).getFirst().toEventData()).isEqualTo(written);
  }

  @Test
  default void positionsStartAtOneOrMoreAndIncreaseStrictly(EventStore store) {
    for (int i = 0; i < 5; i++) {
      append(store, events(3, "Tick").toArray(EventData[]::new));
    }

    List<Long> positions = positions(readAll(store));
    assertThat(positions).hasSize(15).isSorted().doesNotHaveDuplicates();
    assertThat(positions.getFirst()).isGreaterThanOrEqualTo(1);
  }

  @Test
  default void appendResultSpansExactlyTheBatch(EventStore store) {
    append(store, event("Before"));
    List<EventData> batch = events(4, "Batch");

    var result = store.append(AppendRequest.of(batch));

    List<RecordedEvent> read = readAll(store);
    List<RecordedEvent> appended = read.subList(1, 5);
    assertThat(ids(appended)).isEqualTo(idsOf(batch));
    assertThat(result.firstPosition()).isEqualTo(appended.getFirst().position());
    assertThat(result.lastPosition()).isEqualTo(appended.getLast().position());
    assertThat(result.streamRevision()).isEqualTo(RecordedEvent.NO_REVISION);
  }

  @Test
  default void eventsWithoutStreamHaveNoRevision(EventStore store) {
    append(store, event("Loose"));

    RecordedEvent event = readAll(store).getFirst();
    assertThat(event.stream()).isNull();
    assertThat(event.revision()).isEqualTo(RecordedEvent.NO_REVISION);
  }

  @Test
  default void streamRevisionsCountFromZeroAcrossAppends(EventStore store) {
    var first = appendTo(store, "account-1", ExpectedRevision.any(), event("Opened"), event("Deposited"));
    append(store, event("Elsewhere"));
    var second = appendTo(store, "account-1", ExpectedRevision.any(), event("Withdrawn"));

    assertThat(first.streamRevision()).isEqualTo(1);
    assertThat(second.streamRevision()).isEqualTo(2);
    assertThat(readAll(store))
        .filteredOn(e -> "account-1".equals(e.stream()))
        .extracting(RecordedEvent::revision)
        .containsExactly(0L, 1L, 2L);
  }

  @Test
  default void headIsZeroWhenEmptyThenTheLastPosition(EventStore store) {
    assertThat(store.head()).isZero();

    var result = append(store, event("A"), event("B"));

    assertThat(store.head()).isEqualTo(result.lastPosition());
  }

  @Test
  default void readsAreRepeatable(EventStore store) {
    append(store, event("A", "x:1"), event("B"));

    assertThat(readAll(store)).isEqualTo(readAll(store));
  }

  @Test
  default void largeBatchIsWrittenInOrder(EventStore store) {
    List<EventData> batch = events(1_000, "Bulk", "load:1");

    var result = store.append(AppendRequest.of(batch));

    List<RecordedEvent> read = readAll(store);
    assertThat(ids(read)).isEqualTo(idsOf(batch));
    assertThat(positions(read)).isSorted().doesNotHaveDuplicates();
    assertThat(result.lastPosition()).isEqualTo(read.getLast().position());
  }

  @Test
  default void asyncAppendCompletesWithTheResult(EventStore store) throws Exception {
    var future = store.appendAsync(AppendRequest.of(event("Async")).toStream("s-1", ExpectedRevision.noStream()));

    var result = future.get(30, TimeUnit.SECONDS);

    assertThat(result.streamRevision()).isZero();
    assertThat(readAll(store)).extracting(RecordedEvent::position).containsExactly(result.firstPosition());
  }

  @Test
  default void asyncAppendFailsTheFutureOnConflict(EventStore store) {
    appendTo(store, "s-1", ExpectedRevision.any(), event("First"));

    var future = store.appendAsync(AppendRequest.of(event("Second")).toStream("s-1", ExpectedRevision.noStream()));

    assertThat(future)
        .failsWithin(30, TimeUnit.SECONDS)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(AppendConflictException.class);
    assertThat(readAll(store)).hasSize(1);
  }
}

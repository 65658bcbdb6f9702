package io.chiplog.testkit;

import static io.chiplog.testkit.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.InvalidEventException;
import io.chiplog.api.StoreLimits;
import io.chiplog.api.TooLargeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Input that breaks DESIGN §3 gets the specific error, naming the field, and writes nothing.
 * Most of it is refused while the request is built, before any store sees it; sizes are the
 * store's own limits ({@link StoreLimits#defaults()}: 4 MiB per event, 16 MiB per append).
 */
public interface BadInputContract extends StoreContract {

  /** Asserts that building and appending fails on {@code field} and that nothing is written. */
  private static void refused(EventStore store, String field, ThrowingCallable append) {
    assertThatThrownBy(append)
        .isInstanceOfSatisfying(InvalidEventException.class,
            e -> assertThat(e.field()).isEqualTo(field));
    assertThat(store.head()).isZero();
  }

  private static EventData sized(long bytes) {
    return EventData.of("Big", new byte[Math.toIntExact(bytes)]);
  }

  @Test
  default void anEmptyTypeIsRefused(EventStore store) {
    refused(store, "type", () -> store.append(AppendRequest.of(EventData.of(""))));
  }

  @Test
  default void aTypeWithForbiddenCharactersIsRefused(EventStore store) {
    refused(store, "type", () -> store.append(AppendRequest.of(EventData.of("Book Added"))));
    refused(store, "type", () -> store.append(AppendRequest.of(EventData.of("Book\nAdded"))));
    refused(store, "type", () -> store.append(AppendRequest.of(EventData.of("Bücher"))));
  }

  @Test
  default void aTypeOfMoreThan256CharactersIsRefused(EventStore store) {
    store.append(AppendRequest.of(EventData.of("T".repeat(256))));
    assertThatThrownBy(() -> EventData.of("T".repeat(257)))
        .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("type"));
    assertThat(store.head()).isEqualTo(1);
  }

  @Test
  default void moreThan64TagsAreRefused(EventStore store) {
    List<String> tags = IntStream.range(0, 65).mapToObj(i -> "t:" + i).toList();

    refused(store, "tags", () -> store.append(AppendRequest.of(event("A").withTags(tags))));
  }

  @Test
  default void exactly64TagsAreAccepted(EventStore store) {
    List<String> tags = IntStream.range(0, 64).mapToObj(i -> "t:" + i).toList();

    store.append(AppendRequest.of(event("A").withTags(tags)));

    assertThat(TestEvents.readAll(store).getFirst().tags()).hasSize(64);
  }

  @Test
  default void anEmptyOrOverlongOrControlCharacterTagIsRefused(EventStore store) {
    refused(store, "tags[0]", () -> store.append(AppendRequest.of(event("A").withTags(""))));
    refused(store, "tags[0]", () -> store.append(AppendRequest.of(event("A").withTags("t".repeat(257)))));
    refused(store, "tags[0]", () -> store.append(AppendRequest.of(event("A").withTags("a\u0000b"))));
  }

  @Test
  default void nullFieldsAreRefused(EventStore store) {
    byte[] none = new byte[0];
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    refused(store, "id", () -> new EventData(null, "A", Set.of(), none, empty));
    refused(store, "type", () -> new EventData(UUID.randomUUID(), null, Set.of(), none, empty));
    refused(store, "tags", () -> new EventData(UUID.randomUUID(), "A", null, none, empty));
    refused(store, "data", () -> new EventData(UUID.randomUUID(), "A", Set.of(), null, empty));
    refused(store, "metadata", () -> new EventData(UUID.randomUUID(), "A", Set.of(), none, null));
    refused(store, "tags[0]", () -> event("A").withTags(Collections.singletonList(null)));
    refused(store, "events", () -> store.append(new AppendRequest(null, null, ExpectedRevision.any(), null)));
    var withNull = new ArrayList<EventData>();
    withNull.add(event("A"));
    withNull.add(null);
    refused(store, "events[1]", () -> store.append(AppendRequest.of(withNull)));
    refused(store, "expectedRevision",
        () -> store.append(new AppendRequest(List.of(event("A")), "s", null, null)));
  }

  @Test
  default void metadataThatIsNotAJsonObjectIsRefused(EventStore store) {
    refused(store, "metadata", () -> event("A").withMetadata("[1,2]"));
    refused(store, "metadata", () -> event("A").withMetadata("{\"a\":}"));
    refused(store, "metadata", () -> event("A").withMetadata("{} {}"));
    refused(store, "metadata", () -> event("A").withMetadata("not json"));
  }

  @Test
  default void anEmptyAppendIsRefused(EventStore store) {
    refused(store, "events", () -> store.append(AppendRequest.of(List.of())));
  }

  @Test
  default void invalidStreamNamesAreRefused(EventStore store) {
    var one = AppendRequest.of(event("A"));
    refused(store, "stream", () -> store.append(one.toStream("")));
    refused(store, "stream", () -> store.append(one.toStream("two words")));
    refused(store, "stream", () -> store.append(one.toStream("a/b")));
    refused(store, "stream", () -> store.append(one.toStream("s".repeat(257))));
    refused(store, "stream", () -> store.append(one.toStream("..")));
    refused(store, "stream", () -> store.append(one.toStream(".")));
  }

  @Test
  default void anExpectedRevisionWithoutAStreamIsRefused(EventStore store) {
    refused(store, "expectedRevision",
        () -> store.append(new AppendRequest(List.of(event("A")), null, ExpectedRevision.noStream(), null)));
    refused(store, "expectedRevision", () -> ExpectedRevision.exactly(-1));
  }

  @Test
  default void anEventOverTheSizeLimitIsRefused(EventStore store) {
    var big = sized(StoreLimits.DEFAULT_EVENT_SIZE_MAX_BYTES);

    assertThatThrownBy(() -> store.append(AppendRequest.of(event("Small"), big)))
        .isInstanceOfSatisfying(TooLargeException.class, e -> {
          assertThat(e.field()).isEqualTo("events[1]");
          assertThat(e.limitBytes()).isEqualTo(StoreLimits.DEFAULT_EVENT_SIZE_MAX_BYTES);
          assertThat(e.sizeBytes()).isGreaterThan(e.limitBytes());
        });
    assertThat(store.head()).isZero();
  }

  @Test
  default void anEventJustUnderTheSizeLimitIsAccepted(EventStore store) {
    long overhead = sized(0).sizeBytes();

    store.append(AppendRequest.of(sized(StoreLimits.DEFAULT_EVENT_SIZE_MAX_BYTES - overhead)));

    assertThat(store.head()).isPositive();
  }

  @Test
  default void anAppendOverTheSizeLimitIsRefused(EventStore store) {
    long each = StoreLimits.DEFAULT_EVENT_SIZE_MAX_BYTES / 2;
    int count = Math.toIntExact(StoreLimits.DEFAULT_APPEND_SIZE_MAX_BYTES / each + 1);
    var events = IntStream.range(0, count).mapToObj(i -> sized(each)).toList();

    assertThatThrownBy(() -> store.append(AppendRequest.of(events)))
        .isInstanceOfSatisfying(TooLargeException.class, e -> {
          assertThat(e.field()).isEqualTo("events");
          assertThat(e.limitBytes()).isEqualTo(StoreLimits.DEFAULT_APPEND_SIZE_MAX_BYTES);
        });
    assertThat(store.head()).isZero();
  }
}

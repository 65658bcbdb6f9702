package io.chiplog.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An event as read: what was written ({@link EventData}) plus where and when the store put it.
 *
 * <p>{@code recordedAt} is kept to the microsecond (it is truncated here), the precision every
 * backend and the HTTP API can carry. The byte arrays are copied in and out.
 *
 * @param position the event's place in the global log, 1 or more, strictly increasing in the
 *     order readers observe commits
 * @param id the id it was written with
 * @param type its type
 * @param tags its tags, sorted
 * @param stream the stream it was appended to, or null
 * @param revision its revision in {@code stream} (0, 1, 2, ...), or {@link #NO_REVISION} when it
 *     has no stream
 * @param recordedAt when the store recorded it, by the store's clock
 * @param data its payload
 * @param metadata its metadata, a JSON object in UTF-8
 */
public record RecordedEvent(
    long position,
    UUID id,
    String type,
    Set<String> tags,
    @Nullable String stream,
    long revision,
    Instant recordedAt,
    byte[] data,
    byte[] metadata) {

  /** The revision of an event without a stream, and of a stream that does not exist. */
  public static final long NO_REVISION = -1;

  /** Checks the invariants, copies the arrays and truncates {@code recordedAt} to micros. */
  public RecordedEvent {
    if (position < 1) {
      throw new IllegalArgumentException("position must be at least 1, was " + position);
    }
    if (id == null || type == null || recordedAt == null || data == null || metadata == null) {
      throw new IllegalArgumentException("id, type, recordedAt, data and metadata are required");
    }
    if (stream == null ? revision != NO_REVISION : revision < 0) {
      throw new IllegalArgumentException(
          "revision " + revision + " does not fit stream " + stream + " at position " + position);
    }
    tags = NamingRules.checkTags(tags, "tags", NamingRules.TAGS_PER_EVENT_MAX);
    recordedAt = recordedAt.truncatedTo(ChronoUnit.MICROS);
    data = data.clone();
    metadata = metadata.clone();
  }

  /** Records {@code event} at {@code position}: the usual way a backend builds one. */
  public static RecordedEvent of(
      EventData event,
      long position,
      @Nullable String stream,
      long revision,
      Instant recordedAt) {
    return new RecordedEvent(
        position,
        event.id(),
        event.type(),
        event.tags(),
        stream,
        revision,
        recordedAt,
        event.data(),
        event.metadata());
  }

  /** Whether the event was appended to a stream. */
  public boolean hasStream() {
    return stream != null;
  }

  /** Whether the event carries every one of {@code wanted}. */
  public boolean hasTags(Collection<String> wanted) {
    return tags.containsAll(wanted);
  }

  /** The event as it was written. */
  public EventData toEventData() {
    return new EventData(id, type, tags, data, metadata);
  }

  /** A copy of the payload. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** A copy of the metadata. */
  @Override
  public byte[] metadata() {
    return metadata.clone();
  }

  /** The payload decoded as UTF-8. */
  public String dataAsString() {
    return new String(data, StandardCharsets.UTF_8);
  }

  /** The metadata as JSON text. */
  public String metadataAsString() {
    return new String(metadata, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof RecordedEvent that
        && position == that.position
        && revision == that.revision
        && id.equals(that.id)
        && type.equals(that.type)
        && tags.equals(that.tags)
        && java.util.Objects.equals(stream, that.stream)
        && recordedAt.equals(that.recordedAt)
        && Arrays.equals(data, that.data)
        && Arrays.equals(metadata, that.metadata);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(position) * 31 + id.hashCode();
  }

  @Override
  public String toString() {
    return "RecordedEvent[position=" + position + ", type=" + type + ", tags=" + tags
        + (stream == null ? "" : ", stream=" + stream + "@" + revision) + ", id=" + id + "]";
  }
}

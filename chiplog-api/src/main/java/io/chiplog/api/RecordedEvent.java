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
 * backend and the HTTP API can carry. The byte arrays are copied in and out, so the value is
 * immutable. Not a record only because backends need {@link #fromStorage}, a construction that
 * skips re-validating what they validated when it was written: reads are the hot path.
 */
public final class RecordedEvent {

  /** The revision of an event without a stream, and of a stream that does not exist. */
  public static final long NO_REVISION = -1;

  private final long position;
  private final UUID id;
  private final String type;
  private final Set<String> tags;
  private final @Nullable String stream;
  private final long revision;
  private final Instant recordedAt;
  private final byte[] data;
  private final byte[] metadata;

  /**
   * Checks the invariants, copies the arrays and truncates {@code recordedAt} to micros.
   *
   * @param position the event's place in the global log, 1 or more, strictly increasing in the
   *     order readers observe commits
   * @param id the id it was written with
   * @param type its type
   * @param tags its tags
   * @param stream the stream it was appended to, or null
   * @param revision its revision in {@code stream} (0, 1, 2, ...), or {@link #NO_REVISION} when
   *     it has no stream
   * @param recordedAt when the store recorded it, by the store's clock
   * @param data its payload
   * @param metadata its metadata, a JSON object in UTF-8
   */
  public RecordedEvent(
      long position,
      UUID id,
      String type,
      Set<String> tags,
      @Nullable String stream,
      long revision,
      Instant recordedAt,
      byte[] data,
      byte[] metadata) {
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
    this.position = position;
    this.id = id;
    this.type = type;
    this.tags = NamingRules.checkTags(tags, "tags", NamingRules.TAGS_PER_EVENT_MAX);
    this.stream = stream;
    this.revision = revision;
    this.recordedAt = recordedAt.truncatedTo(ChronoUnit.MICROS);
    this.data = data.clone();
    this.metadata = metadata.clone();
  }

  private RecordedEvent(long position, UUID id, String type, Set<String> tags, @Nullable String stream,
      long revision, Instant recordedAt, byte[] data, byte[] metadata, boolean trusted) {
    // The flag only tells this constructor apart from the public one; see fromStorage.
    assert trusted;
    this.position = position;
    this.id = id;
    this.type = type;
    this.tags = tags;
    this.stream = stream;
    this.revision = revision;
    this.recordedAt = recordedAt;
    this.data = data;
    this.metadata = metadata;
  }

  /**
   * For backends: an event read back from storage that validated it when it was written. Skips
   * the checks and copies of the public constructor, so the caller hands over {@code data} and
   * {@code metadata} (it must not touch them again), passes {@code tags} as an unmodifiable set
   * in sorted order, and {@code recordedAt} already truncated to microseconds.
   */
  public static RecordedEvent fromStorage(long position, UUID id, String type, Set<String> tags,
      @Nullable String stream, long revision, Instant recordedAt, byte[] data, byte[] metadata) {
    return new RecordedEvent(position, id, type, tags, stream, revision, recordedAt, data, metadata, true);
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

  /** The event's place in the global log. */
  public long position() {
    return position;
  }

  /** The id it was written with. */
  public UUID id() {
    return id;
  }

  /** Its type. */
  public String type() {
    return type;
  }

  /** Its tags, sorted. */
  public Set<String> tags() {
    return tags;
  }

  /** The stream it was appended to, or null. */
  public @Nullable String stream() {
    return stream;
  }

  /** Its revision in its stream, or {@link #NO_REVISION}. */
  public long revision() {
    return revision;
  }

  /** When the store recorded it. */
  public Instant recordedAt() {
    return recordedAt;
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
  public byte[] data() {
    return data.clone();
  }

  /** A copy of the metadata. */
  public byte[] metadata() {
    return metadata.clone();
  }

  /** The payload's length in bytes, without copying it. */
  public int dataSize() {
    return data.length;
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

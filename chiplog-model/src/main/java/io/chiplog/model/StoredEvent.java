package io.chiplog.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A stored event before it is decoded: what {@link Upcasters} work on. Upcasting changes this
 * form as it is read; the stored event itself is never rewritten.
 *
 * @param id the stored event's id
 * @param position its position (events split from one stored event share it)
 * @param stream its stream, or null
 * @param revision its revision in the stream, or -1
 * @param recordedAt when the store recorded it
 * @param type its type name
 * @param tags its tags
 * @param data its data as JSON
 */
public record StoredEvent(
    UUID id,
    long position,
    @Nullable String stream,
    long revision,
    Instant recordedAt,
    String type,
    Set<String> tags,
    JsonNode data) {

  /** Copies the tags. */
  public StoredEvent {
    tags = Set.copyOf(tags);
  }

  /** This event under another type name. */
  public StoredEvent withType(String newType) {
    return new StoredEvent(id, position, stream, revision, recordedAt, newType, tags, data);
  }

  /** This event with other data. */
  public StoredEvent withData(JsonNode newData) {
    return new StoredEvent(id, position, stream, revision, recordedAt, type, tags, newData);
  }
}

package io.chiplog.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An event as written: a fact with a type, tags to find it by, and its bytes. Which stream it
 * joins is a property of the append ({@link AppendRequest}), not of the event.
 *
 * <p>The constructor checks the rules of DESIGN §3: {@code type} is 1 to 256 characters of
 * {@code [A-Za-z0-9._:/-]}; at most 64 tags, each 1 to 256 characters without control
 * characters; {@code metadata} is one JSON object in UTF-8. Tags are kept as a sorted set.
 *
 * <pre>{@code
 * var added = EventData.of("BookAdded", json)
 *     .withTags("category:fiction", "book:42")
 *     .withMetadata("{\"actor\":\"ada\"}");
 * }</pre>
 *
 * <p>The byte arrays are copied in and out, so an {@code EventData} is immutable.
 *
 * @param id the event's identity; appending the same ids again is an idempotent retry
 * @param type what happened, e.g. {@code BookAdded}
 * @param tags what the event is about, by convention {@code key:value}
 * @param data the payload, usually a JSON object
 * @param metadata a JSON object (correlationId, causationId, actor, ...)
 * @throws InvalidEventException naming the field that breaks a rule
 */
public record EventData(UUID id, String type, Set<String> tags, byte[] data, byte[] metadata) {
  private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NO_DATA = new byte[0];

  /** Validates and copies. */
  public EventData {
    if (id == null) {
      throw new InvalidEventException("id", "must not be null");
    }
    NamingRules.checkType(type, "type");
    tags = NamingRules.checkTags(tags, "tags", NamingRules.TAGS_PER_EVENT_MAX);
    if (data == null) {
      throw new InvalidEventException("data", "must not be null");
    }
    if (metadata == null) {
      throw new InvalidEventException("metadata", "must not be null");
    }
    String problem = JsonSyntax.problemWithObject(metadata);
    if (problem != null) {
      throw new InvalidEventException("metadata", problem);
    }
    data = data.clone();
    metadata = metadata.clone();
  }

  /** An event of {@code type} with no data, a fresh random id, no tags and empty metadata. */
  public static EventData of(String type) {
    return of(type, NO_DATA);
  }

  /** An event with a fresh random id, no tags and empty metadata ({@code {}}). */
  public static EventData of(String type, byte[] data) {
    return new EventData(UUID.randomUUID(), type, Set.of(), data, EMPTY_OBJECT);
  }

  /** An event whose data is {@code json} in UTF-8, with a fresh random id. */
  public static EventData ofJson(String type, String json) {
    return of(type, json.getBytes(StandardCharsets.UTF_8));
  }

  /** This event with another id. */
  public EventData withId(UUID newId) {
    return new EventData(newId, type, tags, data, metadata);
  }

  /** This event with these tags instead of its own. */
  public EventData withTags(String... newTags) {
    return withTags(Arrays.asList(newTags));
  }

  /** This event with these tags instead of its own. */
  public EventData withTags(Collection<String> newTags) {
    // Not Set.copyOf: it throws a bare NullPointerException where the constructor names the tag.
    return new EventData(id, type, new LinkedHashSet<>(newTags), data, metadata);
  }

  /** This event with metadata given as JSON object text. */
  public EventData withMetadata(String jsonObject) {
    return new EventData(id, type, tags, data, jsonObject.getBytes(StandardCharsets.UTF_8));
  }

  /** A copy of the payload. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** A copy of the metadata, a JSON object in UTF-8. */
  @Override
  public byte[] metadata() {
    return metadata.clone();
  }

  /** The payload's length in bytes, without copying it. */
  public int dataSize() {
    return data.length;
  }

  /** The metadata's length in bytes, without copying it. */
  public int metadataSize() {
    return metadata.length;
  }

  /** The payload decoded as UTF-8. */
  public String dataAsString() {
    return new String(data, StandardCharsets.UTF_8);
  }

  /** The metadata as JSON text. */
  public String metadataAsString() {
    return new String(metadata, StandardCharsets.UTF_8);
  }

  /**
   * The bytes this event counts against {@link StoreLimits}: data, metadata, type and tags (in
   * UTF-8).
   */
  public long sizeBytes() {
    long size = data.length + metadata.length + type.length();
    for (String tag : tags) {
      size += tag.getBytes(StandardCharsets.UTF_8).length;
    }
    return size;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof EventData that
        && id.equals(that.id)
        && type.equals(that.type)
        && tags.equals(that.tags)
        && Arrays.equals(data, that.data)
        && Arrays.equals(metadata, that.metadata);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "EventData[id=" + id + ", type=" + type + ", tags=" + tags + ", data=" + data.length
        + " bytes]";
  }
}

package io.chiplog.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.api.EventData;
import io.chiplog.api.InvalidEventException;
import io.chiplog.api.RecordedEvent;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Events on the wire: {@link EventData} as written in an append, {@link RecordedEvent} as read
 * ({@code {"position":17,"id":"…","type":"BookAdded","tags":[…],"stream":"book-42","revision":0,
 * "recordedAt":"…","data":{…},"metadata":{…}}}). See {@link DataEncoding} for how payloads
 * appear.
 */
public final class EventJson {
  private static final Set<String> EVENT_DATA_FIELDS =
      Set.of("id", "type", "tags", "data", "dataBase64", "metadata", "metadataBase64");
  private static final Set<String> RECORDED_EVENT_FIELDS =
      Set.of(
          "position", "id", "type", "tags", "stream", "revision", "recordedAt", "data",
          "dataBase64", "metadata", "metadataBase64");
  private static final byte[] NO_BYTES = new byte[0];
  private static final byte[] EMPTY_OBJECT = {'{', '}'};

  private EventJson() {}

  /**
   * Reads an event to append. {@code data} is any JSON value (stored as compact UTF-8 JSON) or
   * {@code dataBase64} any bytes; {@code metadata} a JSON object or {@code metadataBase64}. A
   * missing id gets a random one.
   *
   * @throws MalformedRequestException naming the field under {@code path} that is wrong
   */
  public static EventData readEventData(JsonNode node, String path) {
    StrictObject event = StrictObject.of(node, path, EVENT_DATA_FIELDS);
    UUID id = event.has("id") ? uuid(event.requiredString("id"), event.pathOf("id")) : UUID.randomUUID();
    String type = event.requiredString("type");
    var tags = new LinkedHashSet<>(event.strings("tags"));
    byte[] data = payload(event, "data", "dataBase64", NO_BYTES);
    byte[] metadata = payload(event, "metadata", "metadataBase64", EMPTY_OBJECT);
    try {
      return new EventData(id, type, tags, data, metadata);
    } catch (InvalidEventException e) {
      throw new MalformedRequestException(StrictObject.child(path, e.field()), e.problem());
    }
  }

  /** Writes {@code event} for an append, byte-exact (base64 payloads). */
  public static void writeEventData(JsonGenerator out, EventData event) throws IOException {
    out.writeStartObject();
    out.writeStringField("id", event.id().toString());
    out.writeStringField("type", event.type());
    if (!event.tags().isEmpty()) {
      QueryJson.writeStrings(out, "tags", event.tags());
    }
    if (event.dataSize() > 0) {
      out.writeFieldName("dataBase64");
      out.writeBinary(event.data());
    }
    out.writeFieldName("metadataBase64");
    out.writeBinary(event.metadata());
    out.writeEndObject();
  }

  /** Writes {@code event} as read, its payloads in {@code encoding}. */
  public static void writeRecordedEvent(
      JsonGenerator out, RecordedEvent event, DataEncoding encoding) throws IOException {
    out.writeStartObject();
    out.writeNumberField("position", event.position());
    out.writeStringField("id", event.id().toString());
    out.writeStringField("type", event.type());
    QueryJson.writeStrings(out, "tags", event.tags());
    if (event.stream() != null) {
      out.writeStringField("stream", event.stream());
      out.writeNumberField("revision", event.revision());
    }
    out.writeStringField("recordedAt", event.recordedAt().toString());
    writePayload(out, "data", "dataBase64", event.data(), encoding);
    writePayload(out, "metadata", "metadataBase64", event.metadata(), encoding);
    out.writeEndObject();
  }

  /**
   * Reads an event as read, in either encoding.
   *
   * @throws MalformedRequestException when it does not have the shape of a recorded event
   */
  public static RecordedEvent readRecordedEvent(JsonNode node) {
    StrictObject event = StrictObject.of(node, "", RECORDED_EVENT_FIELDS);
    long position = event.nonNegativeLong("position", 0);
    String stream = event.string("stream");
    long revision = event.nonNegativeLong("revision", RecordedEvent.NO_REVISION);
    Instant recordedAt;
    try {
      recordedAt = Instant.parse(event.requiredString("recordedAt"));
    } catch (DateTimeParseException e) {
      throw new MalformedRequestException("recordedAt", "is not an ISO-8601 instant");
    }
    try {
      return new RecordedEvent(
          position,
          uuid(event.requiredString("id"), "id"),
          event.requiredString("type"),
          new LinkedHashSet<>(event.strings("tags")),
          stream,
          revision,
          recordedAt,
          payload(event, "data", "dataBase64", NO_BYTES),
          payload(event, "metadata", "metadataBase64", EMPTY_OBJECT));
    } catch (IllegalArgumentException e) {
      throw new MalformedRequestException("", e.getMessage());
    }
  }

  private static void writePayload(
      JsonGenerator out, String jsonField, String base64Field, byte[] bytes, DataEncoding encoding)
      throws IOException {
    if (bytes.length == 0) {
      return;
    }
    JsonNode json = encoding == DataEncoding.JSON ? WireJson.parseOrNull(bytes) : null;
    if (json != null) {
      out.writeFieldName(jsonField);
      out.writeTree(json);
    } else {
      out.writeFieldName(base64Field);
      out.writeBinary(bytes);
    }
  }

  private static byte[] payload(
      StrictObject event, String jsonField, String base64Field, byte[] otherwise) {
    JsonNode json = event.get(jsonField);
    String base64 = event.string(base64Field);
    if (json != null && base64 != null) {
      throw new MalformedRequestException(
          event.pathOf(base64Field), "cannot be given together with " + jsonField);
    }
    if (json != null) {
      return WireJson.bytes(json);
    }
    if (base64 != null) {
      try {
        return Base64.getDecoder().decode(base64);
      } catch (IllegalArgumentException e) {
        throw new MalformedRequestException(event.pathOf(base64Field), "is not valid base64: " + e.getMessage());
      }
    }
    return otherwise;
  }

  private static UUID uuid(String text, String path) {
    try {
      UUID id = UUID.fromString(text);
      if (!id.toString().equalsIgnoreCase(text)) {
        throw new IllegalArgumentException("not canonical");
      }
      return id;
    } catch (IllegalArgumentException e) {
      throw new MalformedRequestException(path, "must be a UUID such as 3f0c…-…, was '" + text + "'");
    }
  }
}

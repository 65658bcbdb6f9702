package io.chiplog.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.api.AppendCondition;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.EventData;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.InvalidEventException;
import io.chiplog.api.RecordedEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Set;

/**
 * {@code POST /v1/append} on the wire: {@code {"events":[…], "stream"?, "expectedRevision"?,
 * "condition"?: {"failIfEventsMatch": query, "after"?}}} in, {@code {"firstPosition",
 * "lastPosition", "streamRevision"?}} out.
 */
public final class AppendJson {
  private static final Set<String> REQUEST_FIELDS =
      Set.of("events", "stream", "expectedRevision", "condition");
  private static final Set<String> CONDITION_FIELDS = Set.of("failIfEventsMatch", "after");
  private static final Set<String> RESULT_FIELDS =
      Set.of("firstPosition", "lastPosition", "streamRevision");

  private AppendJson() {}

  /**
   * Reads an append request.
   *
   * @throws MalformedRequestException naming the field that breaks the shape or a rule of
   *     DESIGN §3
   */
  public static AppendRequest readRequest(JsonNode node) {
    StrictObject body = StrictObject.of(node, "", REQUEST_FIELDS);
    JsonNode eventsNode = body.get("events");
    if (eventsNode == null || !eventsNode.isArray()) {
      throw new MalformedRequestException("events", "is required: an array of at least one event");
    }
    var events = new ArrayList<EventData>(eventsNode.size());
    for (int i = 0; i < eventsNode.size(); i++) {
      events.add(EventJson.readEventData(eventsNode.get(i), "events[" + i + "]"));
    }
    String stream = body.string("stream");
    ExpectedRevision expected = expectedRevision(body);
    AppendCondition condition = null;
    JsonNode conditionNode = body.get("condition");
    if (conditionNode != null) {
      StrictObject fields = StrictObject.of(conditionNode, "condition", CONDITION_FIELDS);
      JsonNode query = fields.get("failIfEventsMatch");
      if (query == null) {
        throw new MalformedRequestException("condition.failIfEventsMatch", "is required");
      }
      condition =
          AppendCondition.failIfEventsMatch(QueryJson.read(query, "condition.failIfEventsMatch"))
              .after(fields.nonNegativeLong("after", 0));
    }
    try {
      return new AppendRequest(events, stream, expected, condition);
    } catch (InvalidEventException e) {
      throw new MalformedRequestException(e.field(), e.problem());
    }
  }

  /** Writes {@code request}, its payloads byte-exact. */
  public static void writeRequest(JsonGenerator out, AppendRequest request) throws IOException {
    out.writeStartObject();
    out.writeArrayFieldStart("events");
    for (EventData event : request.events()) {
      EventJson.writeEventData(out, event);
    }
    out.writeEndArray();
    if (request.stream() != null) {
      out.writeStringField("stream", request.stream());
      out.writeFieldName("expectedRevision");
      writeExpectedRevision(out, request.expectedRevision());
    }
    AppendCondition condition = request.condition();
    if (condition != null) {
      out.writeObjectFieldStart("condition");
      out.writeFieldName("failIfEventsMatch");
      QueryJson.write(out, condition.failIfEventsMatch());
      out.writeNumberField("after", condition.after());
      out.writeEndObject();
    }
    out.writeEndObject();
  }

  /** Writes the answer to a successful append. */
  public static void writeResult(JsonGenerator out, AppendResult result) throws IOException {
    out.writeStartObject();
    out.writeNumberField("firstPosition", result.firstPosition());
    out.writeNumberField("lastPosition", result.lastPosition());
    if (result.streamRevision() != RecordedEvent.NO_REVISION) {
      out.writeNumberField("streamRevision", result.streamRevision());
    }
    out.writeEndObject();
  }

  /** Reads the answer to a successful append. */
  public static AppendResult readResult(JsonNode node) {
    StrictObject body = StrictObject.of(node, "", RESULT_FIELDS);
    return new AppendResult(
        body.nonNegativeLong("firstPosition", 0),
        body.nonNegativeLong("lastPosition", 0),
        body.nonNegativeLong("streamRevision", RecordedEvent.NO_REVISION));
  }

  /** Writes an expected revision: {@code "any"}, {@code "none"}, {@code "exists"} or a number. */
  public static void writeExpectedRevision(JsonGenerator out, ExpectedRevision expected)
      throws IOException {
    if (expected instanceof ExpectedRevision.Exact exact) {
      out.writeNumber(exact.revision());
    } else {
      out.writeString(expectedRevisionName(expected));
    }
  }

  /** The wire name of a symbolic expected revision. */
  public static String expectedRevisionName(ExpectedRevision expected) {
    if (expected instanceof ExpectedRevision.Exact exact) {
      return Long.toString(exact.revision());
    }
    if (expected.equals(ExpectedRevision.any())) {
      return "any";
    }
    return expected.equals(ExpectedRevision.noStream()) ? "none" : "exists";
  }

  /** Reads an expected revision from its wire form. */
  public static ExpectedRevision readExpectedRevision(JsonNode value, String path) {
    if (value.isTextual()) {
      return switch (value.textValue()) {
        case "any" -> ExpectedRevision.any();
        case "none" -> ExpectedRevision.noStream();
        case "exists" -> ExpectedRevision.exists();
        default ->
            throw new MalformedRequestException(
                path, "must be \"any\", \"none\", \"exists\" or a revision number, was " + value);
      };
    }
    return ExpectedRevision.exactly(StrictObject.nonNegativeLong(value, path));
  }

  private static ExpectedRevision expectedRevision(StrictObject body) {
    JsonNode value = body.get("expectedRevision");
    return value == null ? ExpectedRevision.any() : readExpectedRevision(value, "expectedRevision");
  }
}

package io.chiplog.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.api.AppendConflictException;
import io.chiplog.api.ChiplogException;
import io.chiplog.api.ConflictReason;
import io.chiplog.api.InvalidEventException;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StoreClosedException;
import io.chiplog.api.StoreIoException;
import io.chiplog.api.StreamNotFoundException;
import io.chiplog.api.TooLargeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Errors on the wire: {@code {"error": "<code>", "message": "<human text>", …}} with the extra
 * fields that let a client rebuild the exception the store threw: {@link #write} on the server,
 * {@link #toException} in the client. The store's own errors (400, 404, 409, 413) come back as
 * the very exception; the others (405, 415, 429, 503, 500) have no store exception and come back
 * as a {@link StoreIoException} carrying the code and message.
 *
 * <table>
 *   <caption>Exceptions and their error JSON</caption>
 *   <tr><th>exception</th><th>status, code</th><th>extra fields</th></tr>
 *   <tr><td>{@link MalformedRequestException}, {@link InvalidEventException}</td>
 *       <td>400 bad_request</td><td>field</td></tr>
 *   <tr><td>{@link StreamNotFoundException}</td><td>404 not_found</td><td>stream</td></tr>
 *   <tr><td>{@link AppendConflictException}</td><td>409 conflict</td>
 *       <td>reason (revision_mismatch, condition_matched, event_ids_already_stored) and its
 *       details</td></tr>
 *   <tr><td>{@link TooLargeException}</td><td>413 too_large</td>
 *       <td>field, sizeBytes, limitBytes</td></tr>
 *   <tr><td>{@link StoreClosedException}, {@link StoreIoException}</td>
 *       <td>503 unavailable</td><td></td></tr>
 * </table>
 */
public final class ErrorJson {

  private ErrorJson() {}

  /** The error code that answers {@code error}. */
  public static ErrorCode codeOf(Throwable error) {
    return switch (error) {
      case MalformedRequestException e -> ErrorCode.BAD_REQUEST;
      case TooLargeException e -> ErrorCode.TOO_LARGE;
      case InvalidEventException e -> ErrorCode.BAD_REQUEST;
      case StreamNotFoundException e -> ErrorCode.NOT_FOUND;
      case AppendConflictException e -> ErrorCode.CONFLICT;
      case StoreClosedException e -> ErrorCode.UNAVAILABLE;
      case StoreIoException e -> ErrorCode.UNAVAILABLE;
      default -> ErrorCode.INTERNAL;
    };
  }

  /** Writes the error body that answers {@code error}. */
  public static void write(JsonGenerator out, Throwable error) throws IOException {
    ErrorCode code = codeOf(error);
    String message =
        code == ErrorCode.INTERNAL
            ? "internal error: " + error.getClass().getSimpleName()
            : String.valueOf(error.getMessage());
    out.writeStartObject();
    out.writeStringField("error", code.code());
    out.writeStringField("message", message);
    switch (error) {
      case MalformedRequestException e -> out.writeStringField("field", e.field());
      case TooLargeException e -> {
        out.writeStringField("field", e.field());
        out.writeNumberField("sizeBytes", e.sizeBytes());
        out.writeNumberField("limitBytes", e.limitBytes());
      }
      case InvalidEventException e -> {
        out.writeStringField("field", e.field());
        out.writeStringField("problem", e.problem());
      }
      case StreamNotFoundException e -> out.writeStringField("stream", e.stream());
      case AppendConflictException e -> writeReason(out, e.reason());
      default -> {}
    }
    out.writeEndObject();
  }

  /** Writes a plain error with {@code code} and {@code message}. */
  public static void write(JsonGenerator out, ErrorCode code, String message) throws IOException {
    out.writeStartObject();
    out.writeStringField("error", code.code());
    out.writeStringField("message", message);
    out.writeEndObject();
  }

  private static void writeReason(JsonGenerator out, ConflictReason reason) throws IOException {
    switch (reason) {
      case ConflictReason.RevisionMismatch r -> {
        out.writeStringField("reason", "revision_mismatch");
        out.writeStringField("stream", r.stream());
        out.writeFieldName("expectedRevision");
        AppendJson.writeExpectedRevision(out, r.expected());
        if (r.actual() != RecordedEvent.NO_REVISION) {
          out.writeNumberField("actualRevision", r.actual());
        }
      }
      case ConflictReason.ConditionMatched r -> {
        out.writeStringField("reason", "condition_matched");
        out.writeFieldName("failIfEventsMatch");
        QueryJson.write(out, r.query());
        out.writeNumberField("after", r.after());
        out.writeNumberField("firstMatch", r.firstMatch());
      }
      case ConflictReason.EventIdsAlreadyStored r -> {
        out.writeStringField("reason", "event_ids_already_stored");
        out.writeArrayFieldStart("ids");
        for (UUID id : r.storedIds()) {
          out.writeString(id.toString());
        }
        out.writeEndArray();
      }
    }
  }

  /**
   * The exception a client throws for an error answer.
   *
   * @param status the HTTP status
   * @param body the parsed body, or null when it was not a JSON error
   * @param fallbackMessage what to say when the body says nothing
   */
  public static ChiplogException toException(
      int status, @Nullable JsonNode body, String fallbackMessage) {
    String code = text(body, "error");
    String message = text(body, "message");
    String said = message == null ? fallbackMessage : message;
    if (code == null || body == null) {
      return new StoreIoException("HTTP " + status + ": " + said);
    }
    String field = text(body, "field");
    return switch (code) {
      case "conflict" -> new AppendConflictException(reason(body));
      case "too_large" ->
          new TooLargeException(
              field == null ? "" : field,
              body.path("sizeBytes").asLong(),
              body.path("limitBytes").asLong());
      case "bad_request" -> {
        String problem = text(body, "problem");
        yield new InvalidEventException(
            field == null ? "" : field, problem == null ? withoutField(said, field) : problem);
      }
      case "not_found" -> {
        String stream = text(body, "stream");
        yield stream == null
            ? new StoreIoException("HTTP 404: " + said)
            : new StreamNotFoundException(stream);
      }
      default -> new StoreIoException("HTTP " + status + " " + code + ": " + said);
    };
  }

  private static ConflictReason reason(JsonNode body) {
    String reason = text(body, "reason");
    if ("revision_mismatch".equals(reason)) {
      return new ConflictReason.RevisionMismatch(
          String.valueOf(text(body, "stream")),
          AppendJson.readExpectedRevision(body.path("expectedRevision"), "expectedRevision"),
          body.has("actualRevision") ? body.get("actualRevision").asLong() : RecordedEvent.NO_REVISION);
    }
    if ("condition_matched".equals(reason)) {
      return new ConflictReason.ConditionMatched(
          QueryJson.read(body.path("failIfEventsMatch"), "failIfEventsMatch"),
          body.path("after").asLong(),
          body.path("firstMatch").asLong());
    }
    var ids = new ArrayList<UUID>();
    body.path("ids").forEach(id -> ids.add(UUID.fromString(id.asText())));
    return new ConflictReason.EventIdsAlreadyStored(ids);
  }

  private static String withoutField(String message, @Nullable String field) {
    return field != null && message.startsWith(field + ": ")
        ? message.substring(field.length() + 2)
        : message;
  }

  private static @Nullable String text(@Nullable JsonNode body, String name) {
    if (body == null) {
      return null;
    }
    JsonNode value = body.get(name);
    return value == null || !value.isTextual() ? null : value.textValue();
  }

}

package io.chiplog.examples.social;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;
import org.jspecify.annotations.Nullable;

/**
 * JSON in and out of one request, for {@link SocialHandler}: a bounded body that must be a JSON
 * object, checked fields, the {@code minPosition} parameter, and answers as one JSON line.
 * Every check that fails throws a {@link Problem} naming the field. Stateless; thread-safe.
 */
final class HttpJson {
  private static final int BODY_MAX_BYTES = 64 * 1024;
  private static final int TEXT_MAX_CHARS = 200;
  private static final String MIN_POSITION = "minPosition";

  private final ObjectMapper json = new ObjectMapper();

  /** The request's body, a JSON object. */
  ObjectNode body(Request request) throws IOException {
    byte[] bytes;
    try (InputStream in = Request.asInputStream(request)) {
      bytes = in.readNBytes(BODY_MAX_BYTES + 1);
    }
    if (bytes.length > BODY_MAX_BYTES) {
      throw new Problem(413, "too_large", "the body must be at most " + BODY_MAX_BYTES + " bytes");
    }
    JsonNode body;
    try {
      body = json.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw Problem.badRequest("the body is not JSON: " + e.getOriginalMessage());
    }
    if (!(body instanceof ObjectNode object)) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    return object;
  }

  /** The field, a non-blank string of at most 200 characters, stripped. */
  static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual() || value.textValue().isBlank()) {
      throw Problem.badRequest(field + " must be a non-blank string");
    }
    if (value.textValue().length() > TEXT_MAX_CHARS) {
      throw Problem.badRequest(field + " must be at most " + TEXT_MAX_CHARS + " characters");
    }
    return value.textValue().strip();
  }

  /** {@code value} when it is a user id (the rule of {@link SocialEvent#USER_ID}). */
  static String userId(String value, String field) {
    if (!SocialEvent.USER_ID.matcher(value).matches()) {
      throw Problem.badRequest(field + " must be 1 to 64 characters of [A-Za-z0-9_-], was \"" + value + "\"");
    }
    return value;
  }

  /** The {@code minPosition} query parameter, or null; no other parameter is allowed. */
  static @Nullable Long minPosition(Request request) {
    Fields parameters;
    try {
      parameters = Request.extractQueryParameters(request);
    } catch (IllegalArgumentException e) { // Jetty's HttpException.IllegalArgumentException: bad percent-encoding
      throw Problem.badRequest("the query is malformed: " + e.getMessage());
    }
    Long minPosition = null;
    for (Fields.Field parameter : parameters) {
      if (!parameter.getName().equals(MIN_POSITION)) {
        throw Problem.badRequest("unknown parameter " + parameter.getName() + "; the only one is " + MIN_POSITION);
      }
      if (parameter.getValues().size() != 1) {
        throw Problem.badRequest(MIN_POSITION + " must be given once");
      }
      minPosition = position(parameter.getValue());
    }
    return minPosition;
  }

  private static long position(String value) {
    try {
      long position = Long.parseLong(value);
      if (position >= 0) {
        return position;
      }
    } catch (NumberFormatException e) {
      // answered below, with the value
    }
    throw Problem.badRequest(MIN_POSITION + " must be a whole number >= 0, was \"" + value + "\"");
  }

  /** A new JSON object for an answer. */
  ObjectNode object() {
    return json.createObjectNode();
  }

  /** Answers {@code body} with {@code status}, as one line of JSON. */
  void send(Response response, int status, JsonNode body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    byte[] line = Arrays.copyOf(bytes, bytes.length + 1);
    line[bytes.length] = '\n';
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, line.length);
    Content.Sink.write(response, true, ByteBuffer.wrap(line));
  }

  /** Answers {@code problem} as {@code {"error","message"}}. */
  void send(Response response, Problem problem) throws IOException {
    send(response, problem.status(), object().put("error", problem.code()).put("message", problem.getMessage()));
  }
}

package io.chiplog.examples.tickets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;

/**
 * JSON in and out of one request, for {@link TicketsHandler}: a bounded body that must be a JSON
 * object with known fields, checked names and ids, query parameters from a fixed set, and
 * answers as one JSON line. Every check that fails throws a {@link Problem} naming the field.
 * Stateless; thread-safe.
 */
final class HttpJson {
  private static final int BODY_MAX_BYTES = 16 * 1024;

  private final ObjectMapper json = new ObjectMapper();

  /** The request's body: a JSON object with no fields but {@code allowed}. */
  ObjectNode body(Request request, Set<String> allowed) throws IOException {
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
    for (String field : (Iterable<String>) object::fieldNames) {
      if (!allowed.contains(field)) {
        throw Problem.badRequest("unknown field " + field + "; the fields are " + allowed);
      }
    }
    return object;
  }

  /** The field, a non-blank string of at most {@code maxChars} characters, stripped. */
  static String text(JsonNode body, String field, int maxChars) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual() || value.textValue().isBlank()) {
      throw Problem.badRequest(field + " must be a non-blank string");
    }
    String text = value.textValue().strip();
    if (text.length() > maxChars) {
      throw Problem.badRequest(field + " must be at most " + maxChars + " characters");
    }
    return text;
  }

  /** {@code value} when it is a show or seat name ({@link TicketEvent#NAME}). */
  static String name(String value, String field) {
    if (!TicketEvent.NAME.matcher(value).matches()) {
      throw Problem.badRequest(field + " must be 1 to 64 characters of [A-Za-z0-9_-], was \"" + value + "\"");
    }
    return value;
  }

  /** {@code value} when it is a hold id: a UUID as the box office writes them. */
  static String holdId(String value) {
    try {
      if (UUID.fromString(value).toString().equals(value)) {
        return value;
      }
    } catch (IllegalArgumentException e) {
      // answered below, with the value
    }
    throw Problem.badRequest("holdId must be a UUID in lower case, was \"" + value + "\"");
  }

  /** The query parameters, each given at most once, and none but {@code allowed}. */
  static Map<String, String> parameters(Request request, Set<String> allowed) {
    Fields fields;
    try {
      fields = Request.extractQueryParameters(request);
    } catch (IllegalArgumentException e) { // Jetty's HttpException.IllegalArgumentException: bad percent-encoding
      throw Problem.badRequest("the query is malformed: " + e.getMessage());
    }
    var parameters = new LinkedHashMap<String, String>();
    for (Fields.Field field : fields) {
      if (!allowed.contains(field.getName())) {
        throw Problem.badRequest("unknown parameter " + field.getName() + "; the parameters are " + allowed);
      }
      if (field.getValues().size() != 1) {
        throw Problem.badRequest(field.getName() + " must be given once");
      }
      parameters.put(field.getName(), field.getValue());
    }
    return parameters;
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

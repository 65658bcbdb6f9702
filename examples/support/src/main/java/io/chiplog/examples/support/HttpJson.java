package io.chiplog.examples.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * JSON in and out of one request, for the examples' blocking Jetty handlers: a bounded body that
 * must be a JSON object, checked fields and query parameters, and answers as one line of JSON.
 * Every check that fails throws a {@link Problem} naming the field; the handler catches it and
 * answers it with {@link #answer}. Thread-safe.
 *
 * <pre>{@code
 * public boolean handle(Request request, Response response, Callback callback) {
 *   try {
 *     ObjectNode body = json.body(request);
 *     String id = HttpJson.id(HttpJson.text(body, "id"), "id");
 *     json.send(response, 201, json.object().put("id", id));
 *     callback.succeeded();
 *   } catch (Throwable error) {
 *     json.answer(response, callback, error, error instanceof Problem p ? p : new Problem(500, "internal", "…"));
 *   }
 *   return true;
 * }
 * }</pre>
 */
public final class HttpJson {
  /** The largest body read; a larger one is a 413. */
  public static final int BODY_MAX_BYTES = 64 * 1024;

  /** The longest text field. */
  public static final int TEXT_MAX_CHARS = 200;

  /** The examples' rule for ids in paths and bodies (users, categories, accounts). */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final ObjectMapper json = new ObjectMapper();

  /** The mapper answers are written with, for reading JSON an answer embeds. */
  public ObjectMapper mapper() {
    return json;
  }

  /**
   * The request's body, a JSON object of at most {@link #BODY_MAX_BYTES}.
   *
   * @throws Problem 413 when it is larger, 400 when it is not a JSON object
   */
  public ObjectNode body(Request request) throws IOException {
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

  /**
   * The field, a non-blank string of at most {@link #TEXT_MAX_CHARS} characters, stripped.
   *
   * @throws Problem 400 otherwise
   */
  public static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual() || value.textValue().isBlank()) {
      throw Problem.badRequest(field + " must be a non-blank string");
    }
    if (value.textValue().length() > TEXT_MAX_CHARS) {
      throw Problem.badRequest(field + " must be at most " + TEXT_MAX_CHARS + " characters");
    }
    return value.textValue().strip();
  }

  /**
   * {@code value} when it is an id ({@link #ID}).
   *
   * @throws Problem 400 otherwise, naming {@code field}
   */
  public static String id(String value, String field) {
    if (!ID.matcher(value).matches()) {
      throw Problem.badRequest(field + " must be 1 to 64 characters of [A-Za-z0-9_-], was \"" + value + "\"");
    }
    return value;
  }

  /**
   * The query parameters, each given at most once and each one of {@code allowed}.
   *
   * @throws Problem 400 for a query that does not decode, an unknown parameter or one given twice
   */
  public static Map<String, String> parameters(Request request, List<String> allowed) {
    Fields fields;
    try {
      fields = Request.extractQueryParameters(request);
    } catch (IllegalArgumentException e) { // Jetty's HttpException.IllegalArgumentException: bad percent-encoding
      throw Problem.badRequest("the query is malformed: " + e.getMessage());
    }
    var parameters = new LinkedHashMap<String, String>();
    for (Fields.Field field : fields) {
      if (!allowed.contains(field.getName())) {
        throw Problem.badRequest("unknown parameter " + field.getName() + (allowed.size() == 1
            ? "; the only one is " + allowed.getFirst()
            : "; the parameters are " + String.join(", ", allowed)));
      }
      if (field.getValues().size() != 1) {
        throw Problem.badRequest(field.getName() + " must be given once");
      }
      parameters.put(field.getName(), field.getValue());
    }
    return parameters;
  }

  /**
   * {@code value} as a whole number of at least {@code min}.
   *
   * @throws Problem 400 otherwise, naming {@code name}
   */
  public static long wholeNumber(String name, String value, long min) {
    try {
      long number = Long.parseLong(value);
      if (number >= min) {
        return number;
      }
    } catch (NumberFormatException e) {
      // answered below, with the value
    }
    throw Problem.badRequest(name + " must be a whole number >= " + min + ", was \"" + value + "\"");
  }

  /** Refuses a method other than {@code allowed} with a 405. */
  public static void only(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw notAllowed(allowed);
    }
  }

  /** The 405 that names the methods {@code allowed}. */
  public static Problem notAllowed(String allowed) {
    return new Problem(405, "method_not_allowed", "use " + allowed);
  }

  /** The 404 of a path no endpoint serves. */
  public static Problem noEndpoint(Request request) {
    return Problem.notFound("no such endpoint: " + request.getMethod() + " " + Request.getPathInContext(request));
  }

  /** A new JSON object for an answer. */
  public ObjectNode object() {
    return json.createObjectNode();
  }

  /** Answers {@code body} with {@code status}, as one line of JSON. */
  public void send(Response response, int status, JsonNode body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    byte[] line = Arrays.copyOf(bytes, bytes.length + 1);
    line[bytes.length] = '\n';
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, line.length);
    Content.Sink.write(response, true, ByteBuffer.wrap(line));
  }

  /** Answers {@code problem} as {@code {"error","message"}}. */
  public void send(Response response, Problem problem) throws IOException {
    send(response, problem.status(), object().put("error", problem.code()).put("message", problem.getMessage()));
  }

  /**
   * Ends a request that threw {@code error} with {@code problem}, the handler's answer to it; when
   * the response is already committed, fails it with {@code error} instead.
   */
  public void answer(Response response, Callback callback, Throwable error, Problem problem) {
    if (response.isCommitted()) {
      callback.failed(error);
      return;
    }
    try {
      send(response, problem);
      callback.succeeded();
    } catch (Throwable writeFailed) {
      callback.failed(writeFailed);
    }
  }
}

package io.chiplog.server.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.api.TooLargeException;
import io.chiplog.protocol.ErrorCode;
import io.chiplog.protocol.ErrorJson;
import io.chiplog.protocol.MalformedRequestException;
import io.chiplog.protocol.WireJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;
import org.jspecify.annotations.Nullable;

/**
 * One request and its response, with the helpers every endpoint shares. Endpoints run on the
 * request's own virtual thread and block freely; the {@link ApiHandler} completes the Jetty
 * callback after the endpoint returns. Not thread-safe: one per request.
 */
final class Exchange {

  /** Thrown to answer with an error code that no store exception carries. */
  static final class HttpProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final ErrorCode code;

    HttpProblem(ErrorCode code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  /** Writes one JSON document. */
  @FunctionalInterface
  interface JsonBody {
    void writeTo(JsonGenerator out) throws IOException;
  }

  private final Request request;
  private final Response response;
  private final LargeBodyGate largeBodies;
  private @Nullable Fields parameters;
  private boolean holdsLargeBody;
  private boolean bodyRead;

  /** The most of an unread body drained so the connection can carry the next request. */
  private static final long DRAIN_BYTES_MAX = 1 << 20;

  Exchange(Request request, Response response, LargeBodyGate largeBodies) {
    this.request = request;
    this.response = response;
    this.largeBodies = largeBodies;
  }

  /** Gives back what this request held; called once it is answered. */
  void release() {
    if (holdsLargeBody) {
      holdsLargeBody = false;
      largeBodies.leave();
    }
  }

  Request request() {
    return request;
  }

  Response response() {
    return response;
  }

  String method() {
    return request.getMethod();
  }

  String path() {
    return Request.getPathInContext(request);
  }

  @Nullable String header(HttpHeader name) {
    return request.getHeaders().get(name);
  }

  @Nullable String header(String name) {
    return request.getHeaders().get(name);
  }

  /** Whether the client asked for {@code mediaType} in its Accept header. */
  boolean accepts(String mediaType) {
    String accept = header(HttpHeader.ACCEPT);
    return accept != null && accept.toLowerCase(Locale.ROOT).contains(mediaType);
  }

  /**
   * Fails with 400 when the query string holds a parameter not in {@code allowed}: a misspelt
   * {@code form=} must not silently read from the start.
   */
  void allowParameters(Set<String> allowed) {
    for (String name : parameters().getNames()) {
      if (!allowed.contains(name)) {
        throw new MalformedRequestException(
            name, "is not a known parameter; known parameters are " + allowed.stream().sorted().toList());
      }
    }
  }

  /** The value of query parameter {@code name}, or null. */
  @Nullable String parameter(String name) {
    return parameters().getValue(name);
  }

  private Fields parameters() {
    if (parameters == null) {
      parameters = Request.extractQueryParameters(request);
    }
    return parameters;
  }

  /**
   * Reads the body as one JSON document of at most {@code maxBytes}.
   *
   * @throws HttpProblem 415 when it is not declared as JSON
   * @throws TooLargeException when it is larger than {@code maxBytes}
   * @throws MalformedRequestException when it is not JSON
   */
  JsonNode jsonBody(long maxBytes) throws IOException {
    String contentType = header(HttpHeader.CONTENT_TYPE);
    if (contentType == null || !isJson(contentType)) {
      throw new HttpProblem(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "the body must be application/json, was " + (contentType == null ? "not declared" : contentType));
    }
    long declared = request.getLength();
    if (declared > maxBytes) {
      throw tooLarge(declared, maxBytes);
    }
    holdsLargeBody = largeBodies.enter(declared);
    bodyRead = true;
    return WireJson.parse(readAtMost(maxBytes, declared));
  }

  private byte[] readAtMost(long maxBytes, long declared) throws IOException {
    try (InputStream in = Request.asInputStream(request)) {
      if (declared >= 0) {
        return in.readNBytes((int) declared);
      }
      var buffer = new ByteArrayOutputStream();
      byte[] chunk = new byte[16 * 1024];
      for (int read; (read = in.read(chunk)) >= 0; ) {
        buffer.write(chunk, 0, read);
        if (buffer.size() > maxBytes) {
          throw tooLarge(buffer.size(), maxBytes);
        }
      }
      return buffer.toByteArray();
    }
  }

  /**
   * A body over the limit, as the same 413 as an event over the store's limits (field {@code
   * body}, {@code sizeBytes}, {@code limitBytes}). A chunked body is cut short, so its size is
   * what was read before giving up: a lower bound.
   */
  private static TooLargeException tooLarge(long size, long maxBytes) {
    return new TooLargeException("body", size, maxBytes);
  }

  private static boolean isJson(String contentType) {
    String type = contentType.toLowerCase(Locale.ROOT);
    int semicolon = type.indexOf(';');
    String base = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
    return base.equals(WireJson.JSON);
  }

  /** Answers {@code status} with one JSON document. */
  void json(int status, JsonBody body) throws IOException {
    var bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator out = WireJson.generator(bytes)) {
      body.writeTo(out);
    }
    bytes.write('\n');
    send(status, WireJson.JSON, bytes.toByteArray());
  }

  /** Answers {@code status} with {@code bytes} of {@code contentType}. */
  void send(int status, String contentType, byte[] bytes) throws IOException {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    Content.Sink.write(response, true, ByteBuffer.wrap(bytes));
  }

  /**
   * Before an answer that did not read the request's body (a 415, a 400 on the query string, a
   * 413 refused on its declared length): reads and drops a small body, so that the connection
   * can carry the client's next request; a large or unknown one is not worth reading, and the
   * answer says {@code Connection: close} instead. Without either, a client that reuses the
   * connection may find it closed under its next request.
   */
  void settleUnreadBody() {
    if (bodyRead || !hasBody()) {
      return;
    }
    bodyRead = true;
    long declared = request.getLength();
    if (declared >= 0 && declared <= DRAIN_BYTES_MAX) {
      try (InputStream in = Request.asInputStream(request)) {
        in.transferTo(OutputStream.nullOutputStream());
        return;
      } catch (IOException gone) {
        // Fall through: the connection is not reusable.
      }
    }
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
  }

  private boolean hasBody() {
    return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  /** Answers with the error JSON for {@code error}. */
  void error(Throwable error) throws IOException {
    if (error instanceof HttpProblem problem) {
      error(problem.code, String.valueOf(problem.getMessage()));
      return;
    }
    json(ErrorJson.codeOf(error).status(), out -> ErrorJson.write(out, error));
  }

  /** Answers with a plain error. */
  void error(ErrorCode code, String message) throws IOException {
    json(code.status(), out -> ErrorJson.write(out, code, message));
  }

  /**
   * Commits {@code status} and {@code contentType} and returns the body as a stream; every
   * write blocks until the client has taken the bytes (or the stall timeout drops it).
   */
  OutputStream stream(int status, String contentType) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    return Content.Sink.asOutputStream(response);
  }
}

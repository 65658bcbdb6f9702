package io.chiplog.examples.library;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chiplog.api.AppendConflictException;
import io.chiplog.api.StoreClosedException;
import io.chiplog.examples.library.Shelves.Book;
import io.chiplog.views.ViewNotCaughtUpException;
import io.chiplog.views.Views;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The library's HTTP API. Jetty calls it on a virtual thread per request (it declares itself
 * blocking), so it reads, decides and answers in plain blocking code:
 *
 * <pre>
 * POST /library/categories                   {"categoryId","name"} → 201; 409 when it exists
 * POST /library/categories/{id}/books        {"title"} → 201 {"bookId","number"}; 404
 * GET  /library/categories/{id}/books[?minPosition=N] → 200 {"categoryId","name","books":[…],"position"}; 404;
 *                                            503 + Retry-After when the view has not applied N in time
 * POST /library/books/{bookId}/editions      {"baseEdition"?} → 201 {"edition"}; 404; 422
 * GET  /library/views                        → 200 {"views":[{"view","version","state","position","lag",…}]}
 * </pre>
 *
 * Errors are {@code {"error":"<code>","message":"…"}} as in the server's API. Thread-safe.
 */
final class LibraryHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(LibraryHandler.class);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final int BODY_MAX_BYTES = 64 * 1024;
  private static final int TEXT_MAX_CHARS = 200;

  private final Library library;
  private final Views views;
  private final ObjectMapper json = new ObjectMapper();

  LibraryHandler(Library library, Views views) {
    super(InvocationType.BLOCKING);
    this.library = library;
    this.views = views;
  }

  /** An answer other than success, with its status and code. */
  static final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    Problem(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    try {
      route(request, response);
      callback.succeeded();
    } catch (Throwable error) {
      answerError(request, response, callback, error);
    }
    return true;
  }

  private void route(Request request, Response response) throws IOException {
    String method = request.getMethod();
    String[] path = Request.getPathInContext(request).split("/", -1);
    // path[0] is the empty string before the first slash.
    if (path.length == 3 && path[1].equals("library") && path[2].equals("categories")) {
      only(method, "POST");
      addCategory(request, response);
    } else if (path.length == 5 && path[1].equals("library") && path[2].equals("categories")
        && path[4].equals("books")) {
      String categoryId = id(path[3], "categoryId");
      switch (method) {
        case "POST" -> addBook(request, response, categoryId);
        case "GET" -> booksIn(request, response, categoryId);
        default -> throw notAllowed("GET, POST");
      }
    } else if (path.length == 3 && path[1].equals("library") && path[2].equals("views")) {
      only(method, "GET");
      send(response, 200, ViewStatusJson.of(json, views.statuses()));
    } else if (path.length == 5 && path[1].equals("library") && path[2].equals("books")
        && path[4].equals("editions")) {
      only(method, "POST");
      startEdition(request, response, id(path[3], "bookId"));
    } else {
      throw new Problem(404, "not_found", "no such endpoint: " + method + " " + Request.getPathInContext(request));
    }
  }

  private void addCategory(Request request, Response response) throws IOException {
    JsonNode body = body(request);
    String categoryId = id(text(body, "categoryId"), "categoryId");
    String name = text(body, "name");
    var added = written(library.addCategory(categoryId, name), 409, "conflict");
    send(response, 201, object().put("categoryId", added.value().categoryId()).put("name", added.value().name())
        .put("position", added.position()));
  }

  private void addBook(Request request, Response response, String categoryId) throws IOException {
    String title = text(body(request), "title");
    var added = written(library.addBook(categoryId, title), 409, "conflict");
    send(response, 201, object().put("bookId", added.value().bookId()).put("number", added.value().number())
        .put("position", added.position()));
  }

  private void booksIn(Request request, Response response, String categoryId) throws IOException {
    var shelf = written(library.shelf(categoryId, minPosition(request)), 404, "not_found");
    ObjectNode answer = object().put("categoryId", categoryId).put("name", shelf.value().name());
    ArrayNode array = answer.putArray("books");
    for (Book book : shelf.value().books()) {
      array.addObject().put("number", book.number()).put("bookId", book.bookId()).put("title", book.title());
    }
    answer.put("position", shelf.position());
    send(response, 200, answer);
  }

  /** The {@code minPosition} query parameter: 0 when absent. */
  private static long minPosition(Request request) {
    String value = Request.extractQueryParameters(request).getValue("minPosition");
    if (value == null) {
      return 0;
    }
    try {
      long position = Long.parseLong(value);
      if (position >= 0) {
        return position;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new Problem(400, "bad_request", "minPosition must be a whole number of at least 0, was \"" + value + "\"");
  }

  private void startEdition(Request request, Response response, String bookId) throws IOException {
    JsonNode base = body(request).get("baseEdition");
    Integer baseEdition = null;
    if (base != null && !base.isNull()) {
      if (!base.canConvertToInt() || !base.isIntegralNumber() || base.intValue() < 1) {
        throw new Problem(400, "bad_request", "baseEdition must be a whole number of at least 1, was " + base);
      }
      baseEdition = base.intValue();
    }
    var started = written(library.startEdition(bookId, baseEdition), 422, "unprocessable");
    send(response, 201, object().put("edition", started.value().edition()).put("position", started.position()));
  }

  /** The answer when done; otherwise 404, or the status given for a refusal. */
  private static <T> Answer.Done<T> written(Answer<T> answer, int refusedStatus, String refusedCode) {
    return switch (answer) {
      case Answer.Done<T> done -> done;
      case Answer.Missing<T> missing -> throw new Problem(404, "not_found", missing.reason());
      case Answer.Refused<T> refused -> throw new Problem(refusedStatus, refusedCode, refused.reason());
    };
  }

  private JsonNode body(Request request) throws IOException {
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
      throw new Problem(400, "bad_request", "the body is not JSON: " + e.getOriginalMessage());
    }
    if (body == null || !body.isObject()) {
      throw new Problem(400, "bad_request", "the body must be a JSON object");
    }
    return body;
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual() || value.textValue().isBlank()) {
      throw new Problem(400, "bad_request", field + " must be a non-blank string");
    }
    if (value.textValue().length() > TEXT_MAX_CHARS) {
      throw new Problem(400, "bad_request", field + " must be at most " + TEXT_MAX_CHARS + " characters");
    }
    return value.textValue().strip();
  }

  private static String id(String value, String field) {
    if (!ID.matcher(value).matches()) {
      throw new Problem(400, "bad_request", field + " must be 1 to 64 characters of [A-Za-z0-9_-], was \"" + value + "\"");
    }
    return value;
  }

  private static void only(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw notAllowed(allowed);
    }
  }

  private static Problem notAllowed(String allowed) {
    return new Problem(405, "method_not_allowed", "use " + allowed);
  }

  private ObjectNode object() {
    return json.createObjectNode();
  }

  private void send(Response response, int status, JsonNode body) throws IOException {
    byte[] json = this.json.writeValueAsBytes(body);
    byte[] line = Arrays.copyOf(json, json.length + 1);
    line[json.length] = '\n';
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, line.length);
    Content.Sink.write(response, true, ByteBuffer.wrap(line));
  }

  private void answerError(Request request, Response response, Callback callback, Throwable error) {
    Problem problem = switch (error) {
      case Problem known -> known;
      case AppendConflictException conflict -> {
        // Lost every attempt to rivals: nothing was appended, and trying again is safe.
        response.getHeaders().put(HttpHeader.RETRY_AFTER, 1);
        yield new Problem(503, "unavailable", "too many concurrent changes, try again: " + conflict.getMessage());
      }
      case ViewNotCaughtUpException notYet -> {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, 1);
        yield new Problem(503, "not_caught_up", notYet.getMessage());
      }
      case StoreClosedException closed -> new Problem(503, "unavailable", "the library is stopping");
      default -> {
        LOG.atError().addKeyValue("method", request.getMethod()).addKeyValue("path", Request.getPathInContext(request))
            .setCause(error).log("request failed");
        yield new Problem(500, "internal", "internal error: " + error);
      }
    };
    if (response.isCommitted()) {
      callback.failed(error);
      return;
    }
    try {
      send(response, problem.status, object().put("error", problem.code).put("message", problem.getMessage()));
      callback.succeeded();
    } catch (Throwable writeFailed) {
      callback.failed(writeFailed);
    }
  }
}

package io.chiplog.examples.library;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chiplog.api.AppendConflictException;
import io.chiplog.api.StoreClosedException;
import io.chiplog.examples.library.Shelves.Book;
import io.chiplog.examples.support.HttpJson;
import io.chiplog.examples.support.Problem;
import io.chiplog.views.ViewNotCaughtUpException;
import io.chiplog.views.Views;
import java.io.IOException;
import org.eclipse.jetty.http.HttpHeader;
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

  private final Library library;
  private final Views views;
  private final HttpJson json = new HttpJson();

  LibraryHandler(Library library, Views views) {
    super(InvocationType.BLOCKING);
    this.library = library;
    this.views = views;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    try {
      route(request, response);
      callback.succeeded();
    } catch (Throwable error) {
      json.answer(response, callback, error, problemOf(request, response, error));
    }
    return true;
  }

  private void route(Request request, Response response) throws IOException {
    String method = request.getMethod();
    String[] path = Request.getPathInContext(request).split("/", -1);
    // path[0] is the empty string before the first slash.
    if (path.length == 3 && path[1].equals("library") && path[2].equals("categories")) {
      HttpJson.only(method, "POST");
      addCategory(request, response);
    } else if (path.length == 5 && path[1].equals("library") && path[2].equals("categories")
        && path[4].equals("books")) {
      String categoryId = HttpJson.id(path[3], "categoryId");
      switch (method) {
        case "POST" -> addBook(request, response, categoryId);
        case "GET" -> booksIn(request, response, categoryId);
        default -> throw HttpJson.notAllowed("GET, POST");
      }
    } else if (path.length == 3 && path[1].equals("library") && path[2].equals("views")) {
      HttpJson.only(method, "GET");
      json.send(response, 200, ViewStatusJson.of(json.mapper(), views.statuses()));
    } else if (path.length == 5 && path[1].equals("library") && path[2].equals("books")
        && path[4].equals("editions")) {
      HttpJson.only(method, "POST");
      startEdition(request, response, HttpJson.id(path[3], "bookId"));
    } else {
      throw HttpJson.noEndpoint(request);
    }
  }

  private void addCategory(Request request, Response response) throws IOException {
    JsonNode body = json.body(request);
    String categoryId = HttpJson.id(HttpJson.text(body, "categoryId"), "categoryId");
    String name = HttpJson.text(body, "name");
    var added = written(library.addCategory(categoryId, name), 409, "conflict");
    json.send(response, 201, json.object().put("categoryId", added.value().categoryId()).put("name", added.value().name())
        .put("position", added.position()));
  }

  private void addBook(Request request, Response response, String categoryId) throws IOException {
    String title = HttpJson.text(json.body(request), "title");
    var added = written(library.addBook(categoryId, title), 409, "conflict");
    json.send(response, 201, json.object().put("bookId", added.value().bookId()).put("number", added.value().number())
        .put("position", added.position()));
  }

  private void booksIn(Request request, Response response, String categoryId) throws IOException {
    var shelf = written(library.shelf(categoryId, minPosition(request)), 404, "not_found");
    ObjectNode answer = json.object().put("categoryId", categoryId).put("name", shelf.value().name());
    ArrayNode array = answer.putArray("books");
    for (Book book : shelf.value().books()) {
      array.addObject().put("number", book.number()).put("bookId", book.bookId()).put("title", book.title());
    }
    answer.put("position", shelf.position());
    json.send(response, 200, answer);
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
    throw Problem.badRequest("minPosition must be a whole number of at least 0, was \"" + value + "\"");
  }

  private void startEdition(Request request, Response response, String bookId) throws IOException {
    JsonNode base = json.body(request).get("baseEdition");
    Integer baseEdition = null;
    if (base != null && !base.isNull()) {
      if (!base.canConvertToInt() || !base.isIntegralNumber() || base.intValue() < 1) {
        throw Problem.badRequest("baseEdition must be a whole number of at least 1, was " + base);
      }
      baseEdition = base.intValue();
    }
    var started = written(library.startEdition(bookId, baseEdition), 422, "unprocessable");
    json.send(response, 201, json.object().put("edition", started.value().edition()).put("position", started.position()));
  }

  /** The answer when done; otherwise 404, or the status given for a refusal. */
  private static <T> Answer.Done<T> written(Answer<T> answer, int refusedStatus, String refusedCode) {
    return switch (answer) {
      case Answer.Done<T> done -> done;
      case Answer.Missing<T> missing -> throw Problem.notFound(missing.reason());
      case Answer.Refused<T> refused -> throw new Problem(refusedStatus, refusedCode, refused.reason());
    };
  }

  private static Problem problemOf(Request request, Response response, Throwable error) {
    return switch (error) {
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
  }
}

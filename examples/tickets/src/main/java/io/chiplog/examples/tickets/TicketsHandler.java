package io.chiplog.examples.tickets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chiplog.api.AppendConflictException;
import io.chiplog.api.StoreClosedException;
import io.chiplog.examples.support.HttpJson;
import io.chiplog.examples.support.Problem;
import io.chiplog.workflows.WorkflowStatus;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The box office's HTTP API. Jetty calls it on a virtual thread per request (it declares itself
 * blocking), so it decides and waits for workflows in plain blocking code:
 *
 * <pre>
 * POST /tickets/shows/{show}/seats/{seat}/holds {"customer"} → 201 {"holdId","expiresAt","position",…}; 409
 * POST /tickets/holds/{holdId}/payment                       → 200 {"status":"sold",…}; 202; 404; 409; 503
 * GET  /tickets/holds/{holdId}                               → 200 {"status","step","waitingUntil",…}; 404; 503
 * GET  /tickets/holds?status=WAITING[&amp;limit=N]               → 200 {"status","holds":[…]}
 * GET  /tickets/shows/{show}/seats                           → 200 {"show","seats":[…],"position"}; 404
 * </pre>
 *
 * Errors are {@code {"error":"<code>","message":"…"}} as in the server's API; refusals carry a
 * code of their own ({@code seat_held}, {@code seat_sold}, {@code hold_expired}, {@code
 * hold_paid}). Thread-safe.
 */
final class TicketsHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(TicketsHandler.class);
  private static final int LIST_LIMIT_DEFAULT = 100;
  private static final int LIST_LIMIT_MAX = 1_000;

  private final Tickets tickets;
  private final HttpJson json = new HttpJson();

  TicketsHandler(Tickets tickets) {
    super(InvocationType.BLOCKING);
    this.tickets = tickets;
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

  private void route(Request request, Response response) throws IOException, InterruptedException {
    String method = request.getMethod();
    String[] path = Request.getPathInContext(request).split("/", -1);
    // path[0] is the empty string before the first slash.
    if (path.length < 3 || !path[1].equals("tickets")) {
      throw HttpJson.noEndpoint(request);
    }
    if (matches(path, "shows", null, "seats", null, "holds")) {
      HttpJson.only(method, "POST");
      hold(request, response, HttpJson.id(path[3], "show"), HttpJson.id(path[5], "seat"));
    } else if (matches(path, "holds", null, "payment")) {
      HttpJson.only(method, "POST");
      answer(response, tickets.pay(holdId(path[3])), paid -> paid.sold() ? 200 : 202, TicketsJson::paid);
    } else if (matches(path, "holds", null)) {
      HttpJson.only(method, "GET");
      answer(response, tickets.findHold(holdId(path[3])), found -> 200, TicketsJson::hold);
    } else if (matches(path, "holds")) {
      HttpJson.only(method, "GET");
      listHolds(request, response);
    } else if (matches(path, "shows", null, "seats")) {
      HttpJson.only(method, "GET");
      String show = HttpJson.id(path[3], "show");
      answer(response, tickets.seats(show), seats -> 200, seats -> TicketsJson.seats(show, seats));
    } else {
      throw HttpJson.noEndpoint(request);
    }
  }

  /** Whether the path after {@code /tickets} is {@code segments}, a null segment matching any one. */
  private static boolean matches(String[] path, @Nullable String... segments) {
    if (path.length != segments.length + 2) {
      return false;
    }
    for (int i = 0; i < segments.length; i++) {
      if (segments[i] != null ? !segments[i].equals(path[i + 2]) : path[i + 2].isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private void hold(Request request, Response response, String show, String seat) throws IOException {
    JsonNode body = json.body(request);
    onlyFields(body, Set.of("customer"));
    String customer = HttpJson.text(body, "customer");
    answer(response, tickets.hold(show, seat, customer), held -> 201, TicketsJson::held);
  }

  /** Refuses a body with fields it does not know, which would otherwise be ignored silently. */
  private static void onlyFields(JsonNode body, Set<String> allowed) {
    for (String field : (Iterable<String>) body::fieldNames) {
      if (!allowed.contains(field)) {
        throw Problem.badRequest("unknown field " + field + "; the fields are " + allowed);
      }
    }
  }

  /** {@code value} when it is a hold id: a UUID as the box office writes them. */
  private static String holdId(String value) {
    try {
      if (UUID.fromString(value).toString().equals(value)) {
        return value;
      }
    } catch (IllegalArgumentException e) {
      // answered below, with the value
    }
    throw Problem.badRequest("holdId must be a UUID in lower case, was \"" + value + "\"");
  }

  private void listHolds(Request request, Response response) throws IOException {
    Map<String, String> parameters = HttpJson.parameters(request, List.of("status", "limit"));
    String status = parameters.get("status");
    if (status == null) {
      throw Problem.badRequest("status is required, one of " + Arrays.toString(WorkflowStatus.values()));
    }
    WorkflowStatus parsed = status(status);
    int limit = limit(parameters.getOrDefault("limit", String.valueOf(LIST_LIMIT_DEFAULT)));
    json.send(response, 200, TicketsJson.holds(parsed.name(), tickets.holds(parsed, limit)));
  }

  private static WorkflowStatus status(String value) {
    try {
      return WorkflowStatus.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("status must be one of " + Arrays.toString(WorkflowStatus.values())
          + ", was \"" + value + "\"");
    }
  }

  private static int limit(String value) {
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= LIST_LIMIT_MAX) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below, with the value
    }
    throw Problem.badRequest("limit must be a whole number from 1 to " + LIST_LIMIT_MAX + ", was \"" + value + "\"");
  }

  /** How a done answer is written. */
  @FunctionalInterface
  private interface Writer<T> {
    ObjectNode write(T value);
  }

  /** Its HTTP status. */
  @FunctionalInterface
  private interface StatusOf<T> {
    int of(T value);
  }

  private <T> void answer(Response response, Answer<T> answer, StatusOf<T> status, Writer<T> writer) throws IOException {
    T value = switch (answer) {
      case Answer.Done<T> done -> done.value();
      case Answer.Missing<T> missing -> throw Problem.notFound(missing.reason());
      case Answer.Refused<T> refused -> throw new Problem(409, refused.code(), refused.reason());
      case Answer.Busy<T> busy -> throw new Problem(503, "unavailable", busy.reason());
    };
    json.send(response, status.of(value), writer.write(value));
  }

  private void answerError(Request request, Response response, Callback callback, Throwable error) {
    Problem problem = problemOf(request, error);
    if (problem.status() == 503 && !response.isCommitted()) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, 1);
    }
    json.answer(response, callback, error, problem);
  }

  private static Problem problemOf(Request request, Throwable error) {
    return switch (error) {
      case Problem known -> known;
      // Lost every attempt to rivals: nothing was appended, and trying again is safe.
      case AppendConflictException conflict ->
          new Problem(503, "unavailable", "too many concurrent changes, try again: " + conflict.getMessage());
      case StoreClosedException closed -> new Problem(503, "unavailable", "the box office is stopping");
      case InterruptedException interrupted -> new Problem(503, "unavailable", "the box office is stopping");
      default -> {
        LOG.atError().addKeyValue("method", request.getMethod()).addKeyValue("path", Request.getPathInContext(request))
            .setCause(error).log("request failed");
        yield new Problem(500, "internal", "internal error: " + error);
      }
    };
  }
}

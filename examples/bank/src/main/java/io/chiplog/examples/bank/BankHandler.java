package io.chiplog.examples.bank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chiplog.api.AppendConflictException;
import io.chiplog.api.StoreClosedException;
import io.chiplog.examples.support.HttpJson;
import io.chiplog.examples.support.Problem;
import io.chiplog.workflows.WorkflowExistsException;
import io.chiplog.workflows.WorkflowInfo;
import io.chiplog.workflows.WorkflowNotFoundException;
import io.chiplog.workflows.WorkflowStatus;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bank's HTTP API. Jetty calls it on a virtual thread per request (it declares itself
 * blocking), so it decides and answers in plain blocking code:
 *
 * <pre>
 * POST /bank/accounts                     {"id","owner"} → 201 {"id","owner","balance","open","position"}; 409
 * GET  /bank/accounts/{id}[?minPosition=N] → 200 {"id","balance","open","position"}; 404; 503 not_caught_up
 * POST /bank/accounts/{id}/deposits       {"amount"} [Idempotency-Key] → 200 {…,"idempotencyKey"}; 404; 409 closed
 * POST /bank/accounts/{id}/withdrawals    {"amount"} [Idempotency-Key] → 200; 404; 409 closed, overdraft
 * POST /bank/accounts/{id}/close          → 200 {"id","balance","open":false,"position"}; 404
 * GET  /bank/accounts/{id}/history[?limit=N] → 200 {"id","events":[…]}, the last N, oldest first; 404
 * POST /bank/transfers                    {"from","to","amount"} [Idempotency-Key] → 202 {"transferId",…}
 * GET  /bank/transfers?status=S[&amp;limit=N] → 200 {"transfers":[…]}
 * GET  /bank/transfers/stats              → 200 {"running":{…},"endedSinceStart":{…},"pendingTimers"}
 * GET  /bank/transfers/{id}               → 200 {"transferId","from","to","amount","status","step","reason",…}; 404
 * GET  /bank/transfers/{id}/history       → 200 {"transferId","events":[…]}; 404
 * </pre>
 *
 * Amounts are whole cents. An {@code Idempotency-Key} on a deposit or withdrawal becomes its
 * operation key ({@code client:<key>}, apart from the keys of transfers), so a retry with it is
 * done once; on a transfer it is the transfer's id, so a retry starts one transfer. A key reused
 * for something else is a 422. Errors are {@code {"error":"<code>","message":"…"}} as in the
 * server's API. Thread-safe.
 */
final class BankHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(BankHandler.class);
  /** The rule of workflow instance ids, which a transfer's key becomes. */
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final String STATS = "stats";
  private static final int LIST_LIMIT_DEFAULT = 20;
  private static final int LIST_LIMIT_MAX = 1_000;

  private final BankApp.Running running;
  private final Bank bank;
  private final TransferStats stats;
  private final AccountHistory accounts;
  private final HttpJson json = new HttpJson();
  private final TransferJson transfers = new TransferJson(json);

  BankHandler(BankApp.Running running, TransferStats stats, AccountHistory accounts) {
    super(InvocationType.BLOCKING);
    this.running = running;
    this.bank = running.bank();
    this.stats = stats;
    this.accounts = accounts;
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
    if (path.length < 3 || !path[1].equals("bank")) {
      throw HttpJson.noEndpoint(request);
    }
    String collection = path[2];
    if (collection.equals("accounts") && path.length == 3) {
      HttpJson.only(method, "POST");
      open(request, response);
    } else if (collection.equals("accounts") && path.length == 4) {
      HttpJson.only(method, "GET");
      read(request, response, HttpJson.id(path[3], "account id"));
    } else if (collection.equals("accounts") && path.length == 5 && path[4].equals("history")) {
      HttpJson.only(method, "GET");
      accountHistory(request, response, HttpJson.id(path[3], "account id"));
    } else if (collection.equals("accounts") && path.length == 5) {
      HttpJson.only(method, "POST");
      String account = HttpJson.id(path[3], "account id");
      switch (path[4]) {
        case "deposits" -> deposit(request, response, account);
        case "withdrawals" -> withdraw(request, response, account);
        case "close" -> sendAccount(response, 200, done(bank.close(account)), null);
        default -> throw HttpJson.noEndpoint(request);
      }
    } else if (collection.equals("transfers") && path.length == 3) {
      switch (method) {
        case "POST" -> startTransfer(request, response);
        case "GET" -> listTransfers(request, response);
        default -> throw HttpJson.notAllowed("GET, POST");
      }
    } else if (collection.equals("transfers") && path.length == 4 && path[3].equals(STATS)) {
      HttpJson.only(method, "GET");
      json.send(response, 200, transfers.stats(stats.now()));
    } else if (collection.equals("transfers") && path.length == 4) {
      HttpJson.only(method, "GET");
      json.send(response, 200, transfers.of(transfer(transferId(path[3]))));
    } else if (collection.equals("transfers") && path.length == 5 && path[4].equals("history")) {
      HttpJson.only(method, "GET");
      String id = transferId(path[3]);
      json.send(response, 200, transfers.history("transferId", id, running.workflows().history(running.transfer(), id)));
    } else {
      throw HttpJson.noEndpoint(request);
    }
  }

  // ---- accounts -----------------------------------------------------------------------------

  private void open(Request request, Response response) throws IOException {
    JsonNode body = json.body(request);
    String id = HttpJson.id(HttpJson.text(body, "id"), "id");
    String owner = HttpJson.text(body, "owner");
    BankAnswer.Done opened = done(bank.open(id, owner));
    json.send(response, 201, json.object().put("id", id).put("owner", owner).put("balance", opened.account().balance())
        .put("open", opened.account().open()).put("position", opened.position()));
  }

  private void read(Request request, Response response, String account) throws IOException {
    Map<String, String> parameters = HttpJson.parameters(request, List.of("minPosition"));
    String given = parameters.get("minPosition");
    long minPosition = given == null ? 0 : HttpJson.wholeNumber("minPosition", given, 0);
    BankAnswer.Done read = done(bank.read(account));
    // The read is of the store itself, so it has every position up to the head it read at: a
    // position beyond that was not written yet when it read, and no wait will make it appear.
    if (read.position() < minPosition) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, 1);
      throw new Problem(503, "not_caught_up", "position " + minPosition + " is not written yet; the log ends at "
          + read.position());
    }
    sendAccount(response, 200, read, null);
  }

  private void accountHistory(Request request, Response response, String account) throws IOException {
    var events = accounts.last(account, limit(HttpJson.parameters(request, List.of("limit"))));
    if (events.isEmpty()) {
      throw Problem.notFound("no account " + account);
    }
    json.send(response, 200, transfers.history("id", account, events));
  }

  private void deposit(Request request, Response response, String account) throws IOException {
    long amount = TransferJson.amount(json.body(request), "amount");
    String key = operationKey(request);
    sendAccount(response, 200, done(bank.deposit(account, amount, "client:" + key, /* refund= */ false)), key);
  }

  private void withdraw(Request request, Response response, String account) throws IOException {
    long amount = TransferJson.amount(json.body(request), "amount");
    String key = operationKey(request);
    sendAccount(response, 200, done(bank.withdraw(account, amount, "client:" + key)), key);
  }

  private void sendAccount(Response response, int status, BankAnswer.Done done, @Nullable String key) throws IOException {
    ObjectNode body = json.object().put("id", done.account().id()).put("balance", done.account().balance())
        .put("open", done.account().open()).put("position", done.position());
    if (key != null) {
      body.put("idempotencyKey", key);
    }
    json.send(response, status, body);
  }

  /** The client's key, or a fresh one: without a key, a request is its own operation. */
  private static String operationKey(Request request) {
    String given = idempotencyKey(request);
    return given == null ? UUID.randomUUID().toString() : given;
  }

  private static @Nullable String idempotencyKey(Request request) {
    List<String> values = request.getHeaders().getValuesList(IDEMPOTENCY_KEY);
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1 || !KEY.matcher(values.getFirst()).matches()) {
      throw Problem.badRequest(IDEMPOTENCY_KEY + " must be given once, 1 to 128 characters of [A-Za-z0-9._:@-]");
    }
    return values.getFirst();
  }

  /** The account when done; otherwise the problem that says why not. */
  private static BankAnswer.Done done(BankAnswer answer) {
    return switch (answer) {
      case BankAnswer.Done done -> done;
      case BankAnswer.Refused refused -> throw switch (refused.refusal()) {
        case NO_ACCOUNT -> Problem.notFound(refused.reason());
        case EXISTS -> new Problem(409, "conflict", refused.reason());
        case CLOSED -> new Problem(409, "closed", refused.reason());
        case OVERDRAFT -> new Problem(409, "overdraft", refused.reason());
        case KEY_REUSED -> new Problem(422, "idempotency_key_reused", refused.reason());
        case INVALID -> Problem.badRequest(refused.reason());
      };
    };
  }

  // ---- transfers ----------------------------------------------------------------------------

  private void startTransfer(Request request, Response response) throws IOException {
    Transfer transfer = transfers.transfer(json.body(request));
    String key = idempotencyKey(request);
    if (STATS.equals(key)) {
      throw Problem.badRequest(IDEMPOTENCY_KEY + " must not be \"" + STATS + "\": GET /bank/transfers/stats is taken");
    }
    String id = key == null ? UUID.randomUUID().toString() : key;
    WorkflowInfo<Transfer> started;
    try {
      running.workflows().start(running.transfer(), id, transfer);
      started = transfer(id);
    } catch (WorkflowExistsException exists) {
      started = transfer(id);
      if (!transfer.equals(started.state())) {
        Transfer other = started.state();
        throw new Problem(422, "idempotency_key_reused", "transfer " + id + " exists for another transfer: "
            + other.amount() + " from " + other.from() + " to " + other.to());
      }
    }
    response.getHeaders().put(HttpHeader.LOCATION, "/bank/transfers/" + id);
    json.send(response, 202, transfers.of(started));
  }

  private void listTransfers(Request request, Response response) throws IOException {
    Map<String, String> parameters = HttpJson.parameters(request, List.of("status", "limit"));
    String status = parameters.get("status");
    if (status == null) {
      throw Problem.badRequest("status is required, one of " + List.of(WorkflowStatus.values()));
    }
    json.send(response, 200, transfers.list(running.workflows().list(running.transfer(), status(status), limit(parameters))));
  }

  /** The {@code limit} parameter: {@value #LIST_LIMIT_DEFAULT} when absent, at most {@value #LIST_LIMIT_MAX}. */
  private static int limit(Map<String, String> parameters) {
    String limit = parameters.get("limit");
    return limit == null ? LIST_LIMIT_DEFAULT : (int) Math.min(LIST_LIMIT_MAX, HttpJson.wholeNumber("limit", limit, 1));
  }

  private static WorkflowStatus status(String value) {
    try {
      return WorkflowStatus.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("status must be one of " + List.of(WorkflowStatus.values()) + ", was \"" + value + "\"");
    }
  }

  private WorkflowInfo<Transfer> transfer(String id) {
    return running.workflows().info(running.transfer(), id)
        .orElseThrow(() -> Problem.notFound("no transfer " + id));
  }

  private static String transferId(String value) {
    if (!KEY.matcher(value).matches()) {
      throw Problem.badRequest("a transfer id is 1 to 128 characters of [A-Za-z0-9._:@-], was \"" + value + "\"");
    }
    return value;
  }

  // ---- errors -------------------------------------------------------------------------------

  private static Problem problemOf(Request request, Response response, Throwable error) {
    return switch (error) {
      case Problem known -> known;
      case WorkflowNotFoundException missing -> Problem.notFound(String.valueOf(missing.getMessage()));
      // Lost every attempt to rivals: nothing was appended, and trying again is safe.
      case AppendConflictException conflict -> unavailable(response, "too many concurrent changes, try again: "
          + conflict.getMessage());
      case StoreClosedException closed -> unavailable(response, "the bank is stopping");
      default -> {
        LOG.atError().addKeyValue("method", request.getMethod()).addKeyValue("path", Request.getPathInContext(request))
            .setCause(error).log("request failed");
        yield new Problem(500, "internal", "internal error: " + error);
      }
    };
  }

  private static Problem unavailable(Response response, String message) {
    response.getHeaders().put(HttpHeader.RETRY_AFTER, 1);
    return new Problem(503, "unavailable", message);
  }
}

package io.chiplog.examples.bank;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chiplog.store.FileEventStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bank over HTTP on a real port and a real event store: every endpoint, idempotency keys on
 * operations and transfers, the refusals and their status codes, transfers that complete and that
 * are compensated, and a transfer that survives a restart.
 */
class BankHttpIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration END_WAIT = Duration.ofSeconds(20);
  /** How often {@link #awaitEnd} reads a transfer: a poll of a condition, with a deadline. */
  private static final long POLL_MILLIS = 10;

  @TempDir Path directory;

  private final HttpClient http = HttpClient.newHttpClient();
  private FileEventStore store;
  private BankApp app;

  @BeforeEach
  void start() {
    store = FileEventStore.open(directory);
    app = BankApp.start(store, 0);
  }

  @AfterEach
  void stop() {
    stopApp();
    http.close();
  }

  private void stopApp() {
    if (app != null) {
      app.close();
      app = null;
    }
    if (store != null) {
      store.close();
      store = null;
    }
  }

  @Test
  void anAccountOpensOnceAndReadsBackWithItsPosition() throws Exception {
    var opened = post("/bank/accounts", "{\"id\":\"alice\",\"owner\":\"Alice\"}");
    var again = post("/bank/accounts", "{\"id\":\"alice\",\"owner\":\"Alicia\"}");
    var read = get("/bank/accounts/alice?minPosition=1");

    assertThat(opened.status).isEqualTo(201);
    assertThat(opened.body).isEqualTo(json("{\"id\":\"alice\",\"owner\":\"Alice\",\"balance\":0,\"open\":true,\"position\":1}"));
    assertThat(again.status).isEqualTo(409);
    assertThat(again.body).isEqualTo(json("{\"error\":\"conflict\",\"message\":\"account alice exists\"}"));
    assertThat(read.status).isEqualTo(200);
    assertThat(read.body).isEqualTo(json("{\"id\":\"alice\",\"balance\":0,\"open\":true,\"position\":1}"));
  }

  @Test
  void aDepositRetriedWithItsKeyIsDoneOnceAndAKeyReusedForAnotherAmountIsRefused() throws Exception {
    open("alice");

    var first = post("/bank/accounts/alice/deposits", "{\"amount\":1000}", "Idempotency-Key", "pay-1");
    var retry = post("/bank/accounts/alice/deposits", "{\"amount\":1000}", "Idempotency-Key", "pay-1");
    var reused = post("/bank/accounts/alice/deposits", "{\"amount\":999}", "Idempotency-Key", "pay-1");
    var reusedForWithdrawal = post("/bank/accounts/alice/withdrawals", "{\"amount\":1000}", "Idempotency-Key", "pay-1");
    var unkeyed = post("/bank/accounts/alice/deposits", "{\"amount\":5}");
    var unkeyedAgain = post("/bank/accounts/alice/deposits", "{\"amount\":5}");

    assertThat(first.status).isEqualTo(200);
    assertThat(first.body).isEqualTo(json("{\"id\":\"alice\",\"balance\":1000,\"open\":true,\"position\":2,\"idempotencyKey\":\"pay-1\"}"));
    assertThat(retry.status).isEqualTo(200);
    assertThat(retry.body).isEqualTo(first.body);
    assertThat(List.of(reused, reusedForWithdrawal)).allSatisfy(answer -> {
      assertThat(answer.status).isEqualTo(422);
      assertThat(answer.body.get("error").asText()).isEqualTo("idempotency_key_reused");
    });
    assertThat(reused.body.get("message").asText()).isEqualTo("operation key client:pay-1 was used for a deposit of 1000 to alice");
    assertThat(unkeyed.body.get("idempotencyKey").asText()).isNotEqualTo(unkeyedAgain.body.get("idempotencyKey").asText());
    assertThat(unkeyedAgain.body.get("balance").asLong()).isEqualTo(1010);
    assertThat(get("/bank/accounts/alice").body.get("balance").asLong()).isEqualTo(1010);
  }

  @Test
  void anOverdraftIsA409ThatRecordsNothing() throws Exception {
    open("alice");
    long funded = deposit("alice", 300);

    var overdraft = post("/bank/accounts/alice/withdrawals", "{\"amount\":301}");
    var read = get("/bank/accounts/alice");
    var withdrawn = post("/bank/accounts/alice/withdrawals", "{\"amount\":300}");

    assertThat(overdraft.status).isEqualTo(409);
    assertThat(overdraft.body).isEqualTo(json(
        "{\"error\":\"overdraft\",\"message\":\"the balance of alice (300) does not cover 301\"}"));
    assertThat(read.body).isEqualTo(json("{\"id\":\"alice\",\"balance\":300,\"open\":true,\"position\":" + funded + "}"));
    assertThat(withdrawn.status).isEqualTo(200);
    assertThat(withdrawn.body.get("balance").asLong()).isZero();
    assertThat(withdrawn.body.get("position").asLong()).isEqualTo(funded + 1);
  }

  @Test
  void aClosedAccountKeepsItsBalanceAndRefusesDepositsAndWithdrawals() throws Exception {
    open("carol");
    deposit("carol", 70);

    var closed = post("/bank/accounts/carol/close", "");
    var closedAgain = post("/bank/accounts/carol/close", "");
    var deposit = post("/bank/accounts/carol/deposits", "{\"amount\":1}");
    var withdrawal = post("/bank/accounts/carol/withdrawals", "{\"amount\":1}");

    assertThat(closed.status).isEqualTo(200);
    assertThat(closed.body).isEqualTo(json("{\"id\":\"carol\",\"balance\":70,\"open\":false,\"position\":3}"));
    assertThat(closedAgain.status).isEqualTo(200);
    assertThat(closedAgain.body.get("open").asBoolean()).isFalse();
    assertThat(List.of(deposit, withdrawal)).allSatisfy(answer -> {
      assertThat(answer.status).isEqualTo(409);
      assertThat(answer.body).isEqualTo(json("{\"error\":\"closed\",\"message\":\"account carol is closed\"}"));
    });
  }

  @Test
  void aReadAskingForAPositionNotWrittenYetIsA503WithRetryAfter() throws Exception {
    long opened = open("alice");

    var ahead = get("/bank/accounts/alice?minPosition=" + (opened + 5));

    assertThat(ahead.status).isEqualTo(503);
    assertThat(ahead.headers.firstValue("Retry-After")).hasValue("1");
    assertThat(ahead.body).isEqualTo(json("{\"error\":\"not_caught_up\",\"message\":\"position " + (opened + 5)
        + " is not written yet; the log ends at " + opened + "\"}"));
  }

  @Test
  void aTransferMovesTheMoneyAndItsStateAndHistoryAreReadable() throws Exception {
    open("alice");
    open("bob");
    deposit("alice", 10_000);

    var accepted = post("/bank/transfers", "{\"from\":\"alice\",\"to\":\"bob\",\"amount\":2500}");
    String id = accepted.body.get("transferId").asText();
    JsonNode ended = awaitEnd(id);
    var history = get("/bank/transfers/" + id + "/history");

    assertThat(accepted.status).isEqualTo(202);
    assertThat(accepted.headers.firstValue("Location")).hasValue("/bank/transfers/" + id);
    assertThat(accepted.body.get("from").asText()).isEqualTo("alice");
    assertThat(ended).isEqualTo(json("{\"transferId\":\"" + id + "\",\"from\":\"alice\",\"to\":\"bob\",\"amount\":2500,"
        + "\"status\":\"COMPLETED\",\"step\":\"deposit\",\"reason\":null,\"position\":" + ended.get("position") + "}"));
    assertThat(balance("alice")).isEqualTo(7_500);
    assertThat(balance("bob")).isEqualTo(2_500);
    assertThat(history.status).isEqualTo(200);
    // The withdrawal and the deposit are decision steps: their events join the transfer's stream.
    assertThat(types(history.body))
        .containsExactly("WorkflowStarted", "Withdrawn", "WorkflowStepped", "Deposited", "WorkflowEnded");
    assertThat(history.body.at("/events/0/data/state")).isEqualTo(json("{\"from\":\"alice\",\"to\":\"bob\",\"amount\":2500}"));
    assertThat(history.body.at("/events/4/position").asLong()).isEqualTo(ended.get("position").asLong());
  }

  @Test
  void aTransferRetriedWithItsKeyStartsOnceAndAKeyReusedForAnotherTransferIsRefused() throws Exception {
    open("alice");
    open("bob");
    deposit("alice", 100);

    var first = post("/bank/transfers", "{\"from\":\"alice\",\"to\":\"bob\",\"amount\":60}", "Idempotency-Key", "rent-2026-11");
    var retry = post("/bank/transfers", "{\"from\":\"alice\",\"to\":\"bob\",\"amount\":60}", "Idempotency-Key", "rent-2026-11");
    var other = post("/bank/transfers", "{\"from\":\"alice\",\"to\":\"bob\",\"amount\":61}", "Idempotency-Key", "rent-2026-11");
    awaitEnd("rent-2026-11");
    var afterTheEnd = post("/bank/transfers", "{\"from\":\"alice\",\"to\":\"bob\",\"amount\":60}", "Idempotency-Key", "rent-2026-11");

    assertThat(List.of(first, retry, afterTheEnd)).allSatisfy(answer -> {
      assertThat(answer.status).isEqualTo(202);
      assertThat(answer.body.get("transferId").asText()).isEqualTo("rent-2026-11");
    });
    assertThat(afterTheEnd.body.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(other.status).isEqualTo(422);
    assertThat(other.body).isEqualTo(json("{\"error\":\"idempotency_key_reused\","
        + "\"message\":\"transfer rent-2026-11 exists for another transfer: 60 from alice to bob\"}"));
    assertThat(types(get("/bank/transfers/rent-2026-11/history").body)).containsOnlyOnce("WorkflowStarted");
    assertThat(balance("alice")).isEqualTo(40);
    assertThat(balance("bob")).isEqualTo(60);
  }

  @Test
  void aTransferToAClosedAccountIsRefundedAndAnOverdraftChangesNothing() throws Exception {
    open("alice");
    open("carol");
    deposit("alice", 1_000);
    post("/bank/accounts/carol/close", "");

    String toClosed = post("/bank/transfers", "{\"from\":\"alice\",\"to\":\"carol\",\"amount\":400}").body.get("transferId").asText();
    JsonNode refunded = awaitEnd(toClosed);
    String tooMuch = post("/bank/transfers", "{\"from\":\"alice\",\"to\":\"carol\",\"amount\":1001}").body.get("transferId").asText();
    JsonNode refused = awaitEnd(tooMuch);
    String toNobody = post("/bank/transfers", "{\"from\":\"alice\",\"to\":\"nobody\",\"amount\":1}").body.get("transferId").asText();
    JsonNode lost = awaitEnd(toNobody);

    assertThat(refunded.get("status").asText()).isEqualTo("COMPENSATED");
    assertThat(refunded.get("reason").asText()).isEqualTo("CLOSED: account carol is closed");
    assertThat(types(get("/bank/transfers/" + toClosed + "/history").body)).containsExactly("WorkflowStarted",
        "Withdrawn", "WorkflowStepped", "WorkflowCompensating", "WorkflowCompensated", "WorkflowEnded");
    assertThat(refused.get("status").asText()).isEqualTo("COMPENSATED");
    assertThat(refused.get("reason").asText()).isEqualTo("OVERDRAFT: the balance of alice (1000) does not cover 1001");
    assertThat(types(get("/bank/transfers/" + tooMuch + "/history").body)).containsExactly("WorkflowStarted", "WorkflowEnded");
    assertThat(lost.get("reason").asText()).isEqualTo("NO_ACCOUNT: no account nobody");
    assertThat(balance("alice")).isEqualTo(1_000);
    assertThat(balance("carol")).isZero();
    var statement = get("/bank/accounts/alice/history?limit=4");
    assertThat(statement.status).isEqualTo(200);
    assertThat(types(statement.body)).containsExactly("Withdrawn", "Deposited", "Withdrawn", "Deposited");
    assertThat(statement.body.at("/events/0/data/operation").asText()).startsWith("transfer:" + toClosed + ":withdraw:");
    assertThat(statement.body.at("/events/1/data")).isEqualTo(json("{\"account\":\"alice\",\"amount\":400,"
        + "\"balance\":1000,\"operation\":\"" + statement.body.at("/events/1/data/operation").asText() + "\",\"refund\":true}"));
    assertThat(statement.body.at("/events/1/data/operation").asText()).startsWith("transfer:" + toClosed + ":undo-withdraw:");
    // The withdrawal was a decision step of the transfer: it is in the transfer's stream; the refund, an operation, is in none.
    assertThat(statement.body.at("/events/0/revision").asLong()).isEqualTo(1);
    assertThat(statement.body.at("/events/1/revision").isMissingNode()).isTrue();
    assertThat(statement.body.at("/events/3/data/operation").asText()).startsWith("transfer:" + toNobody + ":undo-withdraw:");
    assertThat(types(get("/bank/accounts/alice/history").body)).hasSize(6).startsWith("AccountOpened", "Deposited");

    var compensated = get("/bank/transfers?status=compensated&limit=2");
    assertThat(compensated.status).isEqualTo(200);
    assertThat(compensated.body.get("transfers")).extracting(node -> node.get("transferId").asText())
        .containsExactly(toNobody, tooMuch);
    assertThat(get("/bank/transfers?status=COMPLETED").body.get("transfers")).isEmpty();
    assertThat(get("/bank/transfers/stats").body).isEqualTo(json("{\"running\":{\"RUNNING\":0,\"WAITING\":0,"
        + "\"RETRYING\":0,\"COMPENSATING\":0},\"endedSinceStart\":{\"COMPLETED\":0,\"COMPENSATED\":3,\"FAILED\":0},"
        + "\"pendingTimers\":0}"));
  }

  @Test
  void aTransferSurvivesARestart() throws Exception {
    open("alice");
    open("bob");
    deposit("alice", 50);
    String id = post("/bank/transfers", "{\"from\":\"alice\",\"to\":\"bob\",\"amount\":50}").body.get("transferId").asText();
    JsonNode ended = awaitEnd(id);
    stopApp();

    start();

    assertThat(get("/bank/transfers/" + id).body).isEqualTo(ended);
    assertThat(balance("bob")).isEqualTo(50);
    // Counted since this process started: the transfer ended in the one before.
    assertThat(get("/bank/transfers/stats").body.at("/endedSinceStart/COMPLETED").asLong()).isZero();
  }

  @Test
  void badRequestsAreAnsweredWithTheReason() throws Exception {
    open("alice");
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    List<Answer> answers = new ArrayList<>();
    answers.add(post("/bank/accounts", "{\"id\":\"a b\",\"owner\":\"A\"}"));
    answers.add(post("/bank/accounts", "{\"id\":\"bob\",\"owner\":\" \"}"));
    answers.add(post("/bank/accounts", "{\"id\":"));
    answers.add(post("/bank/accounts", "[1]"));
    for (String amount : List.of("0", "-5", "1.5", "\"12\"", "null", "99999999999999999999")) {
      answers.add(post("/bank/accounts/alice/deposits", "{\"amount\":" + amount + "}"));
    }
    answers.add(post("/bank/accounts/alice/withdrawals", "{}"));
    answers.add(post("/bank/accounts/alice/deposits", "{\"amount\":1}", "Idempotency-Key", "no spaces"));
    answers.add(post("/bank/transfers", "{\"from\":\"alice\",\"to\":\"alice\",\"amount\":1}"));
    answers.add(post("/bank/transfers", "{\"from\":\"alice\",\"to\":\"bob\"}"));
    answers.add(post("/bank/transfers", "{\"from\":\"alice\",\"to\":\"bob\",\"amount\":1}", "Idempotency-Key", "stats"));
    answers.add(get("/bank/accounts/alice?minPosition=soon"));
    answers.add(get("/bank/accounts/alice?limit=3"));
    answers.add(get("/bank/transfers"));
    answers.add(get("/bank/transfers?status=DONE"));
    answers.add(get("/bank/transfers?status=COMPLETED&limit=0"));
    answers.add(get("/bank/transfers/a%20b"));

    assertThat(answers).allSatisfy(answer -> {
      assertThat(answer.status).as(answer.body.toString()).isEqualTo(400);
      assertThat(answer.body.get("error").asText()).isEqualTo("bad_request");
    });
    cases.put("id must be 1 to 64 characters of [A-Za-z0-9_-], was \"a b\"", answers.get(0).message());
    cases.put("owner must be a non-blank string", answers.get(1).message());
    cases.put("amount must be a whole number of cents >= 1, was 1.5", answers.get(6).message());
    cases.put("amount must be a whole number of cents >= 1, was \"12\"", answers.get(7).message());
    cases.put("amount must be a whole number of cents >= 1, was null", answers.get(10).message());
    cases.put("a transfer needs two different accounts, got alice twice", answers.get(12).message());
    cases.put("unknown parameter limit; the only one is minPosition", answers.get(16).message());
    cases.put("status is required, one of [RUNNING, WAITING, RETRYING, COMPENSATING, COMPLETED, COMPENSATED, FAILED]",
        answers.get(17).message());
    cases.forEach((expected, actual) -> assertThat(actual).isEqualTo(expected));
  }

  @Test
  void unknownThingsAre404AndWrongMethods405() throws Exception {
    var account = get("/bank/accounts/nobody");
    var deposit = post("/bank/accounts/nobody/deposits", "{\"amount\":1}");
    var close = post("/bank/accounts/nobody/close", "");
    var statement = get("/bank/accounts/nobody/history");
    var transfer = get("/bank/transfers/nothing");
    var history = get("/bank/transfers/nothing/history");
    var endpoint = get("/bank/vaults");

    assertThat(List.of(account, deposit, close, statement, transfer, history, endpoint)).allSatisfy(answer -> {
      assertThat(answer.status).isEqualTo(404);
      assertThat(answer.body.get("error").asText()).isEqualTo("not_found");
    });
    assertThat(account.message()).isEqualTo("no account nobody");
    assertThat(transfer.message()).isEqualTo("no transfer nothing");
    assertThat(get("/bank/accounts").status).isEqualTo(405);
    assertThat(send(HttpRequest.newBuilder(uri("/bank/transfers")).DELETE().build()).message()).isEqualTo("use GET, POST");
  }

  // ---- helpers -------------------------------------------------------------------------------

  private long open(String account) throws Exception {
    var answer = post("/bank/accounts", "{\"id\":\"" + account + "\",\"owner\":\"" + account + "\"}");
    assertThat(answer.status).as(answer.body.toString()).isEqualTo(201);
    return answer.body.get("position").asLong();
  }

  private long deposit(String account, long amount) throws Exception {
    var answer = post("/bank/accounts/" + account + "/deposits", "{\"amount\":" + amount + "}");
    assertThat(answer.status).as(answer.body.toString()).isEqualTo(200);
    return answer.body.get("position").asLong();
  }

  private long balance(String account) throws Exception {
    var answer = get("/bank/accounts/" + account);
    assertThat(answer.status).as(answer.body.toString()).isEqualTo(200);
    return answer.body.get("balance").asLong();
  }

  /** Reads the transfer until it has ended, up to {@link #END_WAIT}. */
  private JsonNode awaitEnd(String id) throws Exception {
    long deadline = System.nanoTime() + END_WAIT.toNanos();
    while (true) {
      var answer = get("/bank/transfers/" + id);
      assertThat(answer.status).as(answer.body.toString()).isEqualTo(200);
      String status = answer.body.get("status").asText();
      if (List.of("COMPLETED", "COMPENSATED", "FAILED").contains(status)) {
        return answer.body;
      }
      assertThat(System.nanoTime()).as("transfer %s ended within %s; it is %s", id, END_WAIT, answer.body).isLessThan(deadline);
      Thread.sleep(POLL_MILLIS);
    }
  }

  private static List<String> types(JsonNode history) {
    var types = new ArrayList<String>();
    history.get("events").forEach(event -> types.add(event.get("type").asText()));
    return types;
  }

  private static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }

  private record Answer(int status, HttpHeaders headers, JsonNode body) {
    String message() {
      return body.get("message").asText();
    }
  }

  private Answer post(String path, String body, String... headers) throws IOException, InterruptedException {
    var request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request.build());
  }

  private Answer get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  private Answer send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return new Answer(response.statusCode(), response.headers(), JSON.readTree(response.body()));
  }

  private URI uri(String path) {
    return app.uri().resolve(path);
  }
}

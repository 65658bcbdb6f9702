package io.chiplog.examples.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chiplog.store.FileEventStore;
import io.chiplog.workflows.WorkflowInfo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The box office over HTTP on a real port and a real event store: every endpoint and status, a
 * hold paid, a hold expired, and the answers to bad input.
 */
class TicketsHttpIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NOBODY = "7d0c2b9e-0000-4000-8000-00000000dead";

  @TempDir Path directory;

  private final HttpClient http = HttpClient.newHttpClient();
  private FileEventStore store;
  private TicketsApp app;

  private void start(Duration holdFor) {
    store = FileEventStore.open(directory);
    app = TicketsApp.start(store, 0, TicketsOptions.defaults().withHoldFor(holdFor));
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    if (store != null) {
      store.close();
    }
    http.close();
  }

  @Test
  void aHoldPaidInTimeSellsTheSeat() throws Exception {
    start(Duration.ofSeconds(60));
    Instant before = Instant.now();

    var held = post("/tickets/shows/gala/seats/A1/holds", "{\"customer\":\"ann\"}");
    String holdId = held.body.get("holdId").asText();
    var waiting = get("/tickets/holds/" + holdId);
    var listed = get("/tickets/holds?status=WAITING");
    var paid = post("/tickets/holds/" + holdId + "/payment", "");
    var seats = get("/tickets/shows/gala/seats");

    assertThat(held.status).isEqualTo(201);
    assertThat(held.body.get("position").asLong()).isEqualTo(1);
    Instant expiresAt = Instant.parse(held.body.get("expiresAt").asText());
    assertThat(expiresAt).isBetween(before.plusSeconds(60), Instant.now().plusSeconds(60));
    assertThat(waiting.status).isEqualTo(200);
    // The timer is due at the expiry or a moment after it (the engine reads its clock again
    // when it records the wait), never before.
    Instant waitingUntil = Instant.parse(waiting.body.get("waitingUntil").asText());
    assertThat(waitingUntil).isBetween(expiresAt, expiresAt.plusSeconds(1));
    ((ObjectNode) waiting.body).remove("waitingUntil");
    assertThat(waiting.body).isEqualTo(JSON.readTree("{\"holdId\":\"" + holdId + "\",\"show\":\"gala\",\"seat\":\"A1\","
        + "\"customer\":\"ann\",\"expiresAt\":\"" + expiresAt + "\",\"status\":\"WAITING\",\"step\":\"hold\"}"));
    assertThat(listed.body.get("holds")).extracting(hold -> hold.get("holdId").asText()).containsExactly(holdId);
    assertThat(paid.status).isEqualTo(200);
    assertThat(paid.body.get("status").asText()).isEqualTo("sold");
    assertThat(seats.body.get("seats")).isEqualTo(JSON.readTree("[{\"seat\":\"A1\",\"state\":\"sold\","
        + "\"holdId\":\"" + holdId + "\",\"customer\":\"ann\"}]"));
    // The SeatSold, appended with the workflow's end, which the payment answers.
    assertThat(seats.body.get("position").asLong()).isEqualTo(paid.body.get("position").asLong() - 1);
    assertThat(get("/tickets/holds/" + holdId).body.get("outcome").asText()).isEqualTo("sold");
    assertThat(get("/tickets/holds?status=completed").body.get("holds")).hasSize(1);
    assertThat(get("/tickets/holds?status=WAITING").body.get("holds")).isEmpty();
  }

  @Test
  void aHeldOrSoldSeatIsRefusedAndAHoldIsPaidOnce() throws Exception {
    start(Duration.ofSeconds(60));
    String holdId = post("/tickets/shows/gala/seats/A1/holds", "{\"customer\":\"ann\"}").body.get("holdId").asText();

    var heldAlready = post("/tickets/shows/gala/seats/A1/holds", "{\"customer\":\"bob\"}");
    post("/tickets/holds/" + holdId + "/payment", "");
    var paidAlready = post("/tickets/holds/" + holdId + "/payment", "");
    var soldAlready = post("/tickets/shows/gala/seats/A1/holds", "{\"customer\":\"bob\"}");
    var otherSeat = post("/tickets/shows/gala/seats/A2/holds", "{\"customer\":\"bob\"}");

    assertThat(heldAlready.status).isEqualTo(409);
    assertThat(heldAlready.body.get("error").asText()).isEqualTo("seat_held");
    assertThat(heldAlready.body.get("message").asText()).startsWith("seat gala/A1 is held until ");
    assertThat(paidAlready.status).isEqualTo(409);
    assertThat(paidAlready.body.get("error").asText()).isEqualTo("hold_paid");
    assertThat(soldAlready.status).isEqualTo(409);
    assertThat(soldAlready.body).isEqualTo(JSON.readTree("{\"error\":\"seat_sold\",\"message\":\"seat gala/A1 is sold\"}"));
    assertThat(otherSeat.status).isEqualTo(201);
  }

  @Test
  void aHoldNotPaidExpiresFreesItsSeatAndRefusesALatePayment() throws Exception {
    start(Duration.ofMillis(300));
    String holdId = post("/tickets/shows/gala/seats/A1/holds", "{\"customer\":\"ann\"}").body.get("holdId").asText();
    assertThat(get("/tickets/holds/" + holdId).status).isEqualTo(200); // its workflow is waiting
    WorkflowInfo<HoldState> ended = app.tickets().workflows().awaitEnd(app.tickets().seatHold(), holdId)
        .get(10, TimeUnit.SECONDS);

    var hold = get("/tickets/holds/" + holdId);
    var late = post("/tickets/holds/" + holdId + "/payment", "");
    var seats = get("/tickets/shows/gala/seats");
    var again = post("/tickets/shows/gala/seats/A1/holds", "{\"customer\":\"bob\"}");

    assertThat(ended.state().outcome()).isEqualTo(HoldState.Outcome.RELEASED);
    assertThat(hold.body.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(hold.body.get("step").asText()).isEqualTo("release");
    assertThat(hold.body.get("outcome").asText()).isEqualTo("released");
    assertThat(hold.body.has("waitingUntil")).isFalse();
    assertThat(late.status).isEqualTo(409);
    assertThat(late.body.get("error").asText()).isEqualTo("hold_expired");
    assertThat(seats.body.get("seats")).isEqualTo(JSON.readTree("[{\"seat\":\"A1\",\"state\":\"free\"}]"));
    assertThat(again.status).isEqualTo(201);
  }

  @Test
  void unknownHoldsShowsAndEndpointsAreNotFound() throws Exception {
    start(Duration.ofSeconds(60));

    var hold = get("/tickets/holds/" + NOBODY);
    var payment = post("/tickets/holds/" + NOBODY + "/payment", "");
    var seats = get("/tickets/shows/gala/seats");
    var nowhere = get("/tickets/shows");
    var elsewhere = get("/library/categories");

    assertThat(List.of(hold, payment, seats, nowhere, elsewhere)).allSatisfy(answer -> {
      assertThat(answer.status).isEqualTo(404);
      assertThat(answer.body.get("error").asText()).isEqualTo("not_found");
    });
    assertThat(hold.body.get("message").asText()).isEqualTo("no hold " + NOBODY);
    assertThat(payment.body.get("message").asText()).isEqualTo("no hold " + NOBODY);
    assertThat(seats.body.get("message").asText()).isEqualTo("no seat of show gala was ever held");
  }

  @Test
  void badRequestsAreAnsweredWithTheReason() throws Exception {
    start(Duration.ofSeconds(60));

    var badShow = post("/tickets/shows/gala%20night/seats/A1/holds", "{\"customer\":\"ann\"}");
    var badSeat = post("/tickets/shows/gala/seats/A.1/holds", "{\"customer\":\"ann\"}");
    var noCustomer = post("/tickets/shows/gala/seats/A1/holds", "{}");
    var blankCustomer = post("/tickets/shows/gala/seats/A1/holds", "{\"customer\":\" \"}");
    var unknownField = post("/tickets/shows/gala/seats/A1/holds", "{\"customer\":\"ann\",\"seats\":2}");
    var notJson = post("/tickets/shows/gala/seats/A1/holds", "{\"customer\":");
    var badHoldId = get("/tickets/holds/12");
    var badPaymentId = post("/tickets/holds/12/payment", "");
    var noStatus = get("/tickets/holds");
    var badStatus = get("/tickets/holds?status=ASLEEP");
    var badLimit = get("/tickets/holds?status=WAITING&limit=0");
    var unknownParameter = get("/tickets/holds?status=WAITING&show=gala");

    assertThat(List.of(badShow, badSeat, noCustomer, blankCustomer, unknownField, notJson, badHoldId, badPaymentId,
        noStatus, badStatus, badLimit, unknownParameter)).allSatisfy(answer -> {
          assertThat(answer.status).isEqualTo(400);
          assertThat(answer.body.get("error").asText()).isEqualTo("bad_request");
        });
    assertThat(badShow.body.get("message").asText())
        .isEqualTo("show must be 1 to 64 characters of [A-Za-z0-9_-], was \"gala%20night\"");
    assertThat(noCustomer.body.get("message").asText()).isEqualTo("customer must be a non-blank string");
    assertThat(unknownField.body.get("message").asText()).isEqualTo("unknown field seats; the fields are [customer]");
    assertThat(badHoldId.body.get("message").asText()).isEqualTo("holdId must be a UUID in lower case, was \"12\"");
    assertThat(noStatus.body.get("message").asText()).startsWith("status is required, one of [RUNNING, WAITING,");
    assertThat(badLimit.body.get("message").asText()).isEqualTo("limit must be a whole number from 1 to 1000, was \"0\"");
    assertThat(get("/tickets/shows/gala/seats/A1/holds").status).isEqualTo(405);
    assertThat(post("/tickets/holds/" + NOBODY, "").status).isEqualTo(405);
    assertThat(store.head()).as("nothing was recorded").isZero();
  }

  private record Answer(int status, JsonNode body) {}

  private Answer post(String path, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private Answer get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  private Answer send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return new Answer(response.statusCode(), JSON.readTree(response.body()));
  }

  private URI uri(String path) {
    return app.uri().resolve(path);
  }
}

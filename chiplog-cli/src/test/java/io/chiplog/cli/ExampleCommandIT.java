package io.chiplog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chiplog example library}, {@code social}, {@code bank} and {@code tickets} in a child
 * JVM: each serves, stops gracefully on SIGTERM, and a restart on the same data goes on where it
 * stopped (the next number, a fresh book id; views read back from their file at once; transfers
 * as they ended, and one started just before the SIGTERM ends once after the restart; a hold's
 * timer set before the stop fires after the restart).
 */
class ExampleCommandIT {
  private static final Pattern SERVING = Pattern.compile("The library is serving .* at (http://\\S+)");
  private static final Pattern SOCIAL_SERVING = Pattern.compile("The social graph is serving .* at (http://\\S+)");
  private static final Pattern BANK_SERVING = Pattern.compile("The bank is serving .* at (http://\\S+)");
  private static final Pattern STATUS = Pattern.compile("\"status\":\"([A-Z]+)\"");
  private static final Duration TRANSFER_WAIT = Duration.ofSeconds(30);
  private static final long POLL_MILLIS = 20;
  private static final Pattern TICKETS_SERVING = Pattern.compile("The box office is serving .* at (http://\\S+)");
  private static final Pattern HOLD_ID = Pattern.compile("\"holdId\":\"([^\"]+)\"");
  private static final Pattern POSITION = Pattern.compile("\"position\":(\\d+)");
  private static final Pattern BOOK = Pattern.compile("\\{\"bookId\":\"([^\"]+)\",\"number\":(\\d+),\"position\":(\\d+)}");

  @TempDir Path data;

  @Test
  void theLibraryServesStopsOnSigtermAndGoesOnAfterARestart() throws Exception {
    try (var http = HttpClient.newHttpClient()) {
      Matcher dune;
      try (var first = start()) {
        URI library = first.uri();
        assertThat(post(http, library.resolve("/library/categories"), "{\"categoryId\":\"fiction\",\"name\":\"Fiction\"}"))
            .isEqualTo("201 {\"categoryId\":\"fiction\",\"name\":\"Fiction\",\"position\":1}");
        dune = book(post(http, library.resolve("/library/categories/fiction/books"), "{\"title\":\"Dune\"}"));
        assertThat(first.terminate()).isIn(0, 143);
      }

      try (var second = start()) {
        URI again = second.uri();
        Matcher emma = book(post(http, again.resolve("/library/categories/fiction/books"), "{\"title\":\"Emma\"}"));
        // The shelves view survived the restart in <data>/views/views.db; minPosition reads the write.
        String listed = get(http, again.resolve("/library/categories/fiction/books?minPosition=" + emma.group(3)));

        assertThat(dune.group(2)).isEqualTo("1");
        assertThat(emma.group(2)).isEqualTo("2");
        assertThat(emma.group(1)).isNotEqualTo(dune.group(1));
        assertThat(listed).contains("\"bookId\":\"" + dune.group(1) + "\"", "\"bookId\":\"" + emma.group(1) + "\"");
      }
    }
  }

  @Test
  void theSocialGraphServesStopsOnSigtermAndKeepsItsViewsInItsDataDirectory() throws Exception {
    try (var http = HttpClient.newHttpClient()) {
      long last;
      try (var first = ServerProcess.start(SOCIAL_SERVING, socialArgs())) {
        URI social = first.uri();
        for (String user : List.of("ann", "bob", "cat")) {
          assertThat(post(http, social.resolve("/social/users"), "{\"userId\":\"" + user + "\",\"name\":\"" + user + "\"}"))
              .startsWith("201 ");
        }
        assertThat(post(http, social.resolve("/social/friendships"), "{\"a\":\"ann\",\"b\":\"bob\"}")).startsWith("201 ");
        String made = post(http, social.resolve("/social/friendships"), "{\"a\":\"bob\",\"b\":\"cat\"}");
        Matcher position = POSITION.matcher(made);
        assertThat(position.find()).as(made).isTrue();
        last = Long.parseLong(position.group(1));
        assertThat(get(http, social.resolve("/social/users/ann/friends-of-friends?minPosition=" + last)))
            .isEqualTo("{\"userId\":\"ann\",\"friendsOfFriends\":[\"cat\"],\"position\":" + last + "}\n");
        assertThat(first.terminate()).isIn(0, 143);
      }
      assertThat(data.resolve("views.db")).isRegularFile();

      try (var second = ServerProcess.start(SOCIAL_SERVING, socialArgs())) {
        URI again = second.uri();
        // No minPosition: the views resumed from views.db, so they answer at once. (Their
        // position may still say 0 for a moment, until each runner has read its checkpoint.)
        assertThat(get(http, again.resolve("/social/users/bob/friends")))
            .startsWith("{\"userId\":\"bob\",\"friends\":[\"ann\",\"cat\"],");
        assertThat(get(http, again.resolve("/social/users/cat/friends-of-friends?minPosition=" + last)))
            .isEqualTo("{\"userId\":\"cat\",\"friendsOfFriends\":[\"ann\"],\"position\":" + last + "}\n");
        assertThat(post(http, again.resolve("/social/friendships"), "{\"a\":\"cat\",\"b\":\"bob\"}"))
            .isEqualTo("409 {\"error\":\"conflict\",\"message\":\"cat and bob are friends already\"}");
      }
    }
  }

  @Test
  void theBankServesStopsOnSigtermAndItsTransfersSurviveTheRestart() throws Exception {
    try (var http = HttpClient.newHttpClient()) {
      String completed;
      String refunded;
      try (var first = ServerProcess.start(BANK_SERVING, bankArgs())) {
        URI bank = first.uri();
        for (String account : List.of("alice", "bob", "carol")) {
          assertThat(post(http, bank.resolve("/bank/accounts"), "{\"id\":\"" + account + "\",\"owner\":\"" + account + "\"}"))
              .startsWith("201 ");
        }
        assertThat(post(http, bank.resolve("/bank/accounts/alice/deposits"), "{\"amount\":1000}")).startsWith("200 ");
        assertThat(post(http, bank.resolve("/bank/accounts/carol/close"), "")).startsWith("200 ");
        assertThat(transfer(http, bank, "t-done", "{\"from\":\"alice\",\"to\":\"bob\",\"amount\":100}")).startsWith("202 ");
        assertThat(transfer(http, bank, "t-refund", "{\"from\":\"alice\",\"to\":\"carol\",\"amount\":200}")).startsWith("202 ");
        completed = awaitEnd(http, bank, "t-done");
        refunded = awaitEnd(http, bank, "t-refund");
        // Started just before the SIGTERM: it ends before the engine stops, or resumes after the restart.
        assertThat(transfer(http, bank, "t-late", "{\"from\":\"alice\",\"to\":\"bob\",\"amount\":300}")).startsWith("202 ");
        assertThat(first.terminate()).isIn(0, 143);
      }

      try (var second = ServerProcess.start(BANK_SERVING, bankArgs())) {
        URI again = second.uri();
        String late = awaitEnd(http, again, "t-late");

        assertThat(get(http, again.resolve("/bank/transfers/t-done"))).isEqualTo(completed + "\n");
        assertThat(get(http, again.resolve("/bank/transfers/t-refund"))).isEqualTo(refunded + "\n");
        assertThat(completed).contains("\"status\":\"COMPLETED\"");
        assertThat(refunded).contains("\"status\":\"COMPENSATED\"", "\"reason\":\"CLOSED: account carol is closed\"");
        assertThat(late).contains("\"status\":\"COMPLETED\"");
        assertThat(get(http, again.resolve("/bank/accounts/alice"))).contains("\"balance\":600");
        assertThat(get(http, again.resolve("/bank/accounts/bob"))).contains("\"balance\":400");
        assertThat(get(http, again.resolve("/bank/accounts/carol"))).contains("\"balance\":0");
        // A retry of the late transfer's POST after the restart starts nothing new.
        assertThat(transfer(http, again, "t-late", "{\"from\":\"alice\",\"to\":\"bob\",\"amount\":300}"))
            .startsWith("202 ").contains("\"status\":\"COMPLETED\"");
      }
    }
  }

  @Test
  void theBoxOfficeServesStopsOnSigtermAndExpiresAHoldAfterARestart() throws Exception {
    try (var http = HttpClient.newHttpClient()) {
      String paid;
      String pending;
      try (var first = ServerProcess.start(TICKETS_SERVING, ticketsArgs())) {
        URI tickets = first.uri();
        paid = holdId(post(http, tickets.resolve("/tickets/shows/gala/seats/A1/holds"), "{\"customer\":\"ann\"}"));
        pending = holdId(post(http, tickets.resolve("/tickets/shows/gala/seats/A2/holds"), "{\"customer\":\"bob\"}"));
        assertThat(post(http, tickets.resolve("/tickets/holds/" + paid + "/payment"), "")).startsWith("200 ")
            .contains("\"status\":\"sold\"");
        assertThat(first.terminate()).isIn(0, 143);
      }

      try (var second = ServerProcess.start(TICKETS_SERVING, ticketsArgs())) {
        URI again = second.uri();
        // The hold of A2 was made with a 2 s timer in the first process; whether it fell due
        // before the stop or after the restart, the timer is in the store and the seat is freed.
        String released = awaitCompleted(http, again.resolve("/tickets/holds/" + pending));

        assertThat(released).contains("\"outcome\":\"released\"");
        assertThat(get(http, again.resolve("/tickets/shows/gala/seats"))).startsWith("{\"show\":\"gala\",\"seats\":["
            + "{\"seat\":\"A1\",\"state\":\"sold\",\"holdId\":\"" + paid + "\",\"customer\":\"ann\"},"
            + "{\"seat\":\"A2\",\"state\":\"free\"}],\"position\":");
        assertThat(post(http, again.resolve("/tickets/holds/" + pending + "/payment"), ""))
            .startsWith("409 {\"error\":\"hold_expired\"");
        assertThat(post(http, again.resolve("/tickets/shows/gala/seats/A1/holds"), "{\"customer\":\"cat\"}"))
            .isEqualTo("409 {\"error\":\"seat_sold\",\"message\":\"seat gala/A1 is sold\"}");
      }
    }
  }

  private List<String> bankArgs() {
    return List.of("example", "bank", "--data", data.toString(), "--port", "0");
  }

  private static String transfer(HttpClient http, URI bank, String id, String body) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(bank.resolve("/bank/transfers"))
        .header("Content-Type", "application/json").header("Idempotency-Key", id)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body().strip();
  }

  /** Reads transfer {@code id} until it has ended, up to {@link #TRANSFER_WAIT}; answers its JSON. */
  private static String awaitEnd(HttpClient http, URI bank, String id) throws Exception {
    long deadline = System.nanoTime() + TRANSFER_WAIT.toNanos();
    while (true) {
      String answer = get(http, bank.resolve("/bank/transfers/" + id)).strip();
      Matcher status = STATUS.matcher(answer);
      assertThat(status.find()).as(answer).isTrue();
      if (List.of("COMPLETED", "COMPENSATED", "FAILED").contains(status.group(1))) {
        return answer;
      }
      assertThat(System.nanoTime()).as("transfer %s ended within %s: %s", id, TRANSFER_WAIT, answer).isLessThan(deadline);
      Thread.sleep(POLL_MILLIS);  // a poll of a condition, with a deadline
    }
  }

  /** The hold's answer once its workflow has ended, asking again until then (at most 30 s). */
  private static String awaitCompleted(HttpClient http, URI hold) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String answer = get(http, hold);
    while (!answer.contains("\"status\":\"COMPLETED\"")) {
      assertThat(System.nanoTime() - deadline).as("the hold never ended: " + answer).isNegative();
      Thread.sleep(50);
      answer = get(http, hold);
    }
    return answer;
  }

  private static String holdId(String answer) {
    Matcher matcher = HOLD_ID.matcher(answer);
    assertThat(answer).startsWith("201 ");
    assertThat(matcher.find()).as(answer).isTrue();
    return matcher.group(1);
  }

  private List<String> ticketsArgs() {
    return List.of("example", "tickets", "--data", data.toString(), "--port", "0", "--hold-seconds", "2");
  }

  private List<String> socialArgs() {
    return List.of("example", "social", "--data", data.toString(), "--port", "0");
  }

  private ServerProcess start() throws IOException, InterruptedException {
    return ServerProcess.start(SERVING, List.of("example", "library", "--data", data.toString(), "--port", "0"));
  }

  private static Matcher book(String answer) {
    Matcher matcher = BOOK.matcher(answer);
    assertThat(answer).startsWith("201 ");
    assertThat(matcher.find()).as(answer).isTrue();
    return matcher;
  }

  private static String post(HttpClient http, URI uri, String body) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body().strip();
  }

  private static String get(HttpClient http, URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}

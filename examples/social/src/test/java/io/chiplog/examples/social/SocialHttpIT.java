package io.chiplog.examples.social;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chiplog.store.FileEventStore;
import io.chiplog.views.EmbeddedViewStore;
import io.chiplog.views.ViewOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The social graph over HTTP on a real port, a real event store and the embedded view store:
 * every endpoint and status, reading one's own writes, a view that has not caught up, and views
 * that survive a restart.
 */
class SocialHttpIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Short, so that the test of a position never written does not wait long. */
  private static final Duration READ_WAIT = Duration.ofMillis(300);

  @TempDir Path directory;

  private final HttpClient http = HttpClient.newHttpClient();
  private FileEventStore store;
  private EmbeddedViewStore viewStore;
  private SocialApp app;

  @BeforeEach
  void start() {
    store = FileEventStore.open(directory);
    viewStore = EmbeddedViewStore.open(directory.resolve(SocialApp.VIEWS_FILE));
    app = SocialApp.start(store, viewStore, 0, ViewOptions.defaults().withReadWait(READ_WAIT));
  }

  @AfterEach
  void stop() {
    stopApp();
    http.close();
  }

  private void stopApp() {
    if (app != null) {
      app.close();
    }
    if (viewStore != null) {
      viewStore.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void aUserRegistersOnceAndTheAnswerHasItsPosition() throws Exception {
    var ann = post("/social/users", "{\"userId\":\"ann\",\"name\":\"Ann\"}");
    var again = post("/social/users", "{\"userId\":\"ann\",\"name\":\"Annie\"}");

    assertThat(ann.status).isEqualTo(201);
    assertThat(ann.body).isEqualTo(JSON.readTree("{\"userId\":\"ann\",\"name\":\"Ann\",\"position\":1}"));
    assertThat(again.status).isEqualTo(409);
    assertThat(again.body).isEqualTo(JSON.readTree("{\"error\":\"conflict\",\"message\":\"user ann exists\"}"));
  }

  @Test
  void friendsAndFriendsOfFriendsFollowTheFriendshipsMadeAndEnded() throws Exception {
    register("ann", "bob", "cat", "dan");
    post("/social/friendships", "{\"a\":\"ann\",\"b\":\"bob\"}");
    post("/social/friendships", "{\"a\":\"cat\",\"b\":\"bob\"}");
    var made = post("/social/friendships", "{\"a\":\"cat\",\"b\":\"dan\"}");
    long madeAt = made.body.get("position").asLong();

    var bobsFriends = get("/social/users/bob/friends?minPosition=" + madeAt);
    var annsCircle = get("/social/users/ann/friends-of-friends?minPosition=" + madeAt);
    var bobsCircle = get("/social/users/bob/friends-of-friends?minPosition=" + madeAt);

    assertThat(made.status).isEqualTo(201);
    assertThat(made.body).isEqualTo(JSON.readTree("{\"a\":\"cat\",\"b\":\"dan\",\"position\":7}"));
    assertThat(bobsFriends.status).isEqualTo(200);
    assertThat(bobsFriends.body).isEqualTo(JSON.readTree("{\"userId\":\"bob\",\"friends\":[\"ann\",\"cat\"],\"position\":7}"));
    assertThat(annsCircle.body).isEqualTo(JSON.readTree("{\"userId\":\"ann\",\"friendsOfFriends\":[\"cat\"],\"position\":7}"));
    assertThat(bobsCircle.body.get("friendsOfFriends")).isEqualTo(JSON.readTree("[\"dan\"]"));

    var ended = delete("/social/friendships/bob/cat");
    long endedAt = ended.body.get("position").asLong();

    assertThat(ended.status).isEqualTo(200);
    assertThat(ended.body).isEqualTo(JSON.readTree("{\"a\":\"bob\",\"b\":\"cat\",\"position\":8}"));
    assertThat(get("/social/users/ann/friends-of-friends?minPosition=" + endedAt).body.get("friendsOfFriends")).isEmpty();
    assertThat(get("/social/users/cat/friends?minPosition=" + endedAt).body.get("friends"))
        .isEqualTo(JSON.readTree("[\"dan\"]"));
  }

  /** Each write read back at once with its position sees itself: the read waited for the view. */
  @Test
  void aReadWithTheWritesPositionSeesTheWrite() throws Exception {
    register("hub");
    var expected = new ArrayList<String>();
    for (int i = 0; i < 20; i++) {
      String spoke = "s" + (char) ('a' + i);
      long registered = register(spoke);
      var made = post("/social/friendships", "{\"a\":\"" + spoke + "\",\"b\":\"hub\"}");
      expected.add(spoke);

      var friends = get("/social/users/hub/friends?minPosition=" + made.body.get("position").asLong());
      var spokesCircle = get("/social/users/" + spoke + "/friends-of-friends?minPosition=" + registered);

      assertThat(friends.status).isEqualTo(200);
      assertThat(strings(friends.body.get("friends"))).isEqualTo(expected);
      assertThat(friends.body.get("position").asLong()).isGreaterThanOrEqualTo(made.body.get("position").asLong());
      assertThat(spokesCircle.status).as("the spoke is known once its registration is read").isEqualTo(200);
    }
  }

  @Test
  void aPositionNotYetWrittenIsAnsweredWithRetryAfter() throws Exception {
    register("ann");
    long head = store.head();

    var late = send(HttpRequest.newBuilder(uri("/social/users/ann/friends?minPosition=" + (head + 1000))).GET().build());

    assertThat(late.status).isEqualTo(503);
    assertThat(late.headers.firstValue("Retry-After")).hasValue("1");
    assertThat(late.body.get("error").asText()).isEqualTo("unavailable");
    assertThat(late.body.get("message").asText()).contains("friends", "not yet " + (head + 1000));
    assertThat(get("/social/users/ann/friends-of-friends?minPosition=" + (head + 1000)).status).isEqualTo(503);
  }

  @Test
  void unknownUsersAndEndpointsAreNotFound() throws Exception {
    long at = register("ann");

    var friends = get("/social/users/zed/friends?minPosition=" + at);
    var circle = get("/social/users/zed/friends-of-friends?minPosition=" + at);
    var befriend = post("/social/friendships", "{\"a\":\"ann\",\"b\":\"zed\"}");
    var unfriend = delete("/social/friendships/zed/ann");
    var nowhere = get("/social/groups");

    assertThat(List.of(friends, circle, befriend, unfriend, nowhere)).allSatisfy(answer -> {
      assertThat(answer.status).isEqualTo(404);
      assertThat(answer.body.get("error").asText()).isEqualTo("not_found");
    });
    assertThat(friends.body.get("message").asText()).isEqualTo("no user zed");
    assertThat(befriend.body.get("message").asText()).isEqualTo("no user zed");
  }

  @Test
  void friendshipsAreMadeOnceAndEndedOnce() throws Exception {
    register("ann", "bob");

    var twice = post("/social/friendships", "{\"a\":\"ann\",\"b\":\"bob\"}");
    var reversed = post("/social/friendships", "{\"a\":\"bob\",\"b\":\"ann\"}");
    var ended = delete("/social/friendships/ann/bob");
    var endedAgain = delete("/social/friendships/bob/ann");

    assertThat(twice.status).isEqualTo(201);
    assertThat(reversed.status).isEqualTo(409);
    assertThat(reversed.body.get("message").asText()).isEqualTo("bob and ann are friends already");
    assertThat(ended.status).isEqualTo(200);
    assertThat(endedAgain.status).isEqualTo(409);
    assertThat(endedAgain.body.get("message").asText()).isEqualTo("bob and ann are not friends");
  }

  @Test
  void badRequestsAreAnsweredWithTheReason() throws Exception {
    register("ann");

    var self = post("/social/friendships", "{\"a\":\"ann\",\"b\":\"ann\"}");
    var notJson = post("/social/users", "{\"userId\":");
    var notAnObject = post("/social/friendships", "[1]");
    var blankName = post("/social/users", "{\"userId\":\"bob\",\"name\":\" \"}");
    var badId = post("/social/users", "{\"userId\":\"a b\",\"name\":\"A\"}");
    var badPosition = get("/social/users/ann/friends?minPosition=soon");
    var negativePosition = get("/social/users/ann/friends?minPosition=-1");
    var unknownParameter = get("/social/users/ann/friends?limit=3");

    assertThat(List.of(self, notJson, notAnObject, blankName, badId, badPosition, negativePosition, unknownParameter))
        .allSatisfy(answer -> {
          assertThat(answer.status).isEqualTo(400);
          assertThat(answer.body.get("error").asText()).isEqualTo("bad_request");
        });
    assertThat(self.body.get("message").asText()).isEqualTo("a user cannot befriend themselves: ann");
    assertThat(notJson.body.get("message").asText()).startsWith("the body is not JSON");
    assertThat(blankName.body.get("message").asText()).isEqualTo("name must be a non-blank string");
    assertThat(badPosition.body.get("message").asText()).isEqualTo("minPosition must be a whole number >= 0, was \"soon\"");
    assertThat(get("/social/users").status).isEqualTo(405);
    // A query Jetty cannot decode (the JDK's client refuses to send one, hence a raw request).
    assertThat(rawStatusLine("GET /social/users/ann/friends?minPosition=%zz")).isEqualTo("HTTP/1.1 400 Bad Request");
  }

  /** The views live in views.db: after a restart they answer at once, without a minPosition. */
  @Test
  void theViewsSurviveARestart() throws Exception {
    register("ann", "bob", "cat");
    post("/social/friendships", "{\"a\":\"ann\",\"b\":\"bob\"}");
    long last = post("/social/friendships", "{\"a\":\"bob\",\"b\":\"cat\"}").body.get("position").asLong();
    assertThat(get("/social/users/ann/friends-of-friends?minPosition=" + last).status).isEqualTo(200);
    get("/social/users/ann/friends?minPosition=" + last);
    stopApp();
    try (var views = EmbeddedViewStore.open(directory.resolve(SocialApp.VIEWS_FILE))) {
      for (String view : List.of("friends", "friends_of_friends")) {
        String space = views.liveSpace(view);
        assertThat(space).as(view).isNotNull();
        assertThat(views.checkpoint(space)).as(view).isEqualTo(last);
      }
    }

    start();
    var circle = get("/social/users/ann/friends-of-friends");
    var friends = get("/social/users/bob/friends");
    var caughtUp = get("/social/users/bob/friends?minPosition=" + last);

    // Without minPosition and before any new event: the data was there when the app started.
    // (The position it answers may still be 0 for a moment, until the runner read its checkpoint.)
    assertThat(circle.body.get("friendsOfFriends")).isEqualTo(JSON.readTree("[\"cat\"]"));
    assertThat(friends.body.get("friends")).isEqualTo(JSON.readTree("[\"ann\",\"cat\"]"));
    assertThat(caughtUp.body.get("position").asLong()).isEqualTo(last);
  }

  private long register(String... userIds) throws Exception {
    long position = 0;
    for (String userId : userIds) {
      var answer = post("/social/users", "{\"userId\":\"" + userId + "\",\"name\":\"" + userId.toUpperCase() + "\"}");
      assertThat(answer.status).as(answer.body.toString()).isEqualTo(201);
      position = answer.body.get("position").asLong();
    }
    return position;
  }

  private static List<String> strings(JsonNode array) {
    var strings = new ArrayList<String>();
    array.forEach(node -> strings.add(node.asText()));
    return strings;
  }

  private record Answer(int status, HttpHeaders headers, JsonNode body) {}

  private Answer post(String path, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private Answer delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).DELETE().build());
  }

  private Answer get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  private Answer send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return new Answer(response.statusCode(), response.headers(), JSON.readTree(response.body()));
  }

  private String rawStatusLine(String requestLine) throws IOException {
    try (var socket = new Socket(app.uri().getHost(), app.port())) {
      String request = requestLine + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      var reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      return reader.readLine();
    }
  }

  private URI uri(String path) {
    return app.uri().resolve(path);
  }
}

package io.chiplog.server;

import static io.chiplog.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.testkit.TestEvents;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET|POST /v1/subscribe} over real HTTP: NDJSON and server-sent events, catch-up then
 * live, resumption with {@code Last-Event-ID}, heartbeats, filters, the subscriber limit, a
 * subscriber that stops reading, and the final {@code end} message of a graceful stop.
 */
class SubscribeHttpIT {
  static final Duration HEARTBEAT = Duration.ofMillis(200);
  static final Duration STALL = Duration.ofMillis(1500);
  static final int SUBSCRIBERS_MAX = 2;

  @TempDir Path directory;
  TestServer api;

  @BeforeEach
  void start() {
    api =
        TestServer.start(
            directory,
            server -> server.heartbeatInterval(HEARTBEAT).stallTimeout(STALL).subscribersMax(SUBSCRIBERS_MAX),
            // A few events per subscription in memory, so a stalled one holds little.
            store -> store.subscriptionBufferCapacity(8));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  /** An open subscription: its response headers and its lines. */
  record Subscription(HttpResponse<InputStream> response, Lines lines) implements AutoCloseable {
    /** The next event of an NDJSON subscription, skipping heartbeats. */
    JsonNode nextEvent() {
      while (true) {
        JsonNode line = json(lines.next());
        if (!line.has("heartbeat")) {
          return line;
        }
      }
    }

    /** The next SSE frame (its fields, comments under ":"), skipping heartbeat frames. */
    Map<String, String> nextFrame() {
      while (true) {
        var frame = new LinkedHashMap<String, String>();
        for (String line; !(line = lines.next()).isEmpty(); ) {
          int colon = line.indexOf(':');
          String name = colon == 0 ? ":" : line.substring(0, colon);
          frame.merge(name, line.substring(colon + 1).stripLeading(), (a, b) -> a + "\n" + b);
        }
        if (!frame.getOrDefault(":", "").startsWith("heartbeat")) {
          return frame;
        }
      }
    }

    @Override
    public void close() {
      lines.close();
    }
  }

  Subscription subscribe(HttpRequest request) {
    HttpResponse<InputStream> response = api.open(request);
    assertThat(response.statusCode()).isEqualTo(200);
    return new Subscription(response, new Lines(response.body()));
  }

  Subscription subscribe(String pathAndQuery, String... headers) {
    var request = api.request(pathAndQuery).timeout(Duration.ofMinutes(1)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return subscribe(request.build());
  }

  @Test
  void anNdjsonSubscriptionCatchesUpThenFollowsLiveCommits() {
    api.append("{\"type\":\"A\"},{\"type\":\"B\"},{\"type\":\"C\"}");

    try (var subscription = subscribe("/v1/subscribe")) {
      assertThat(subscription.response().headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
      assertThat(subscription.response().headers().firstValue("Cache-Control")).hasValue("no-cache");
      assertThat(List.of(subscription.nextEvent(), subscription.nextEvent(), subscription.nextEvent()))
          .extracting(e -> e.get("position").longValue())
          .containsExactly(1L, 2L, 3L);

      api.append("{\"type\":\"D\",\"data\":{\"n\":4}}");
      TestEvents.append(api.store, TestEvents.event("E"));

      JsonNode fourth = subscription.nextEvent();
      assertThat(fourth.get("position").longValue()).isEqualTo(4);
      assertThat(fourth.get("data")).isEqualTo(json("{\"n\":4}"));
      assertThat(subscription.nextEvent().get("type").textValue()).isEqualTo("E");
    }
    Eventually.await(Duration.ofSeconds(5), () -> api.server.activeSubscribers() == 0, () -> "subscribers left open");
  }

  @Test
  void anIdleNdjsonSubscriptionGetsHeartbeatsCarryingTheHead() {
    api.append("{\"type\":\"A\"},{\"type\":\"B\"}");

    try (var subscription = subscribe("/v1/subscribe?from=3")) {
      JsonNode first = json(subscription.lines().next(HEARTBEAT.multipliedBy(10)));
      JsonNode second = json(subscription.lines().next(HEARTBEAT.multipliedBy(10)));

      assertThat(first).isEqualTo(json("{\"heartbeat\":true,\"head\":2}"));
      assertThat(second).isEqualTo(first);
    }
  }

  @Test
  void anSseSubscriptionSendsThePositionAsIdAndCommentsAsHeartbeats() {
    api.append("{\"type\":\"A\"},{\"type\":\"B\"}");

    try (var subscription = subscribe("/v1/subscribe", "Accept", "text/event-stream")) {
      assertThat(subscription.response().headers().firstValue("Content-Type")).hasValue("text/event-stream;charset=utf-8");
      assertThat(subscription.nextFrame()).isEqualTo(Map.of("retry", "1000", ":", "subscribed from position 1"));
      Map<String, String> first = subscription.nextFrame();
      assertThat(first.get("id")).isEqualTo("1");
      assertThat(json(first.get("data")).get("position").longValue()).isEqualTo(1);
      assertThat(json(first.get("data")).get("type").textValue()).isEqualTo("A");
      assertThat(subscription.nextFrame().get("id")).isEqualTo("2");

      assertThat(subscription.lines().next(HEARTBEAT.multipliedBy(10))).isEqualTo(": heartbeat head=2");
      assertThat(subscription.lines().next()).isEmpty();
    }
  }

  @Test
  void anSseSubscriptionResumesAfterLastEventIdWithoutGapOrDuplicate() {
    api.append("{\"type\":\"A\"},{\"type\":\"A\"},{\"type\":\"A\"}");
    try (var first = subscribe("/v1/subscribe", "Accept", "text/event-stream")) {
      first.nextFrame();
      assertThat(List.of(first.nextFrame(), first.nextFrame(), first.nextFrame()))
          .extracting(frame -> frame.get("id"))
          .containsExactly("1", "2", "3");
    }
    api.append("{\"type\":\"A\"},{\"type\":\"A\"}");

    try (var resumed = subscribe("/v1/subscribe?from=1", "Accept", "text/event-stream", "Last-Event-ID", "3")) {
      assertThat(resumed.nextFrame().get(":")).isEqualTo("subscribed from position 4");
      assertThat(List.of(resumed.nextFrame(), resumed.nextFrame()))
          .extracting(frame -> frame.get("id"))
          .containsExactly("4", "5");
      api.append("{\"type\":\"A\"}");
      assertThat(resumed.nextFrame().get("id")).isEqualTo("6");
    }
  }

  @Test
  void aGetSubscriptionFiltersByTypesAndTags() {
    api.append(
        "{\"type\":\"A\",\"tags\":[\"k:1\"]},{\"type\":\"B\",\"tags\":[\"k:1\"]},{\"type\":\"A\",\"tags\":[\"k:2\"]},"
            + "{\"type\":\"C\",\"tags\":[\"k:1\",\"x:y\"]}");

    try (var subscription = subscribe("/v1/subscribe?types=A,C&tags=k:1")) {
      assertThat(List.of(subscription.nextEvent(), subscription.nextEvent()))
          .extracting(e -> e.get("position").longValue())
          .containsExactly(1L, 4L);
      api.append("{\"type\":\"A\",\"tags\":[\"k:2\"]},{\"type\":\"C\",\"tags\":[\"k:1\"]}");
      assertThat(subscription.nextEvent().get("position").longValue()).isEqualTo(6);
    }
  }

  @Test
  void aPostSubscriptionTakesItsQueryAndStartFromTheBody() {
    api.append("{\"type\":\"A\",\"tags\":[\"k:2\"]},{\"type\":\"B\"},{\"type\":\"A\",\"tags\":[\"k:2\"]},{\"type\":\"C\"}");

    try (var subscription =
        subscribe(
            api.request("/v1/subscribe?encoding=base64")
                .timeout(Duration.ofMinutes(1))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"query\":{\"items\":[{\"types\":[\"B\"]},{\"tags\":[\"k:2\"]}]},\"from\":2}"))
                .build())) {
      JsonNode first = subscription.nextEvent();
      assertThat(first.get("position").longValue()).isEqualTo(2);
      assertThat(new String(Base64.getDecoder().decode(first.get("metadataBase64").textValue()))).isEqualTo("{}");
      assertThat(subscription.nextEvent().get("position").longValue()).isEqualTo(3);
    }
  }

  @Test
  void aBadSubscriptionIsABadRequestOrAnUnsupportedMediaType() {
    assertBadRequest(api.get("/v1/subscribe?from=-1"), "from");
    assertBadRequest(api.get("/v1/subscribe?form=1"), "form");
    assertBadRequest(api.get("/v1/subscribe?types=Book%20Added"), "types[0]");
    assertBadRequest(api.get("/v1/subscribe?encoding=hex"), "encoding");
    assertBadRequest(api.get("/v1/subscribe", "Last-Event-ID", "abc"), "Last-Event-ID");
    assertBadRequest(api.get("/v1/subscribe", "Last-Event-ID", Long.toString(Long.MAX_VALUE)), "Last-Event-ID");
    assertBadRequest(api.postJson("/v1/subscribe?from=1", "{}"), "from");
    assertBadRequest(api.postJson("/v1/subscribe", "{\"limit\":1}"), "limit");
    var undeclared = api.post("/v1/subscribe", null, BodyPublishers.ofString("{}"));
    assertThat(undeclared.statusCode()).isEqualTo(415);
    assertThat(api.server.activeSubscribers()).isZero();
  }

  private static void assertBadRequest(HttpResponse<String> response, String field) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(json(response.body()).get("error").textValue()).isEqualTo("bad_request");
    assertThat(json(response.body()).get("field").textValue()).isEqualTo(field);
  }

  @Test
  void oneSubscriptionMoreThanAllowedIsTooManyRequestsUntilOneCloses() {
    var open = new ArrayList<Subscription>();
    for (int i = 0; i < SUBSCRIBERS_MAX; i++) {
      open.add(subscribe("/v1/subscribe"));
    }
    Eventually.await(Duration.ofSeconds(5), () -> api.server.activeSubscribers() == SUBSCRIBERS_MAX, () -> "not all open");

    var refused = api.get("/v1/subscribe");

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(json(refused.body()).get("error").textValue()).isEqualTo("too_many_requests");
    open.removeFirst().close();
    Eventually.await(
        Duration.ofSeconds(5), () -> api.server.activeSubscribers() == SUBSCRIBERS_MAX - 1, () -> "the closed one still counts");
    try (var again = subscribe("/v1/subscribe")) {
      assertThat(again.response().statusCode()).isEqualTo(200);
      assertThat(json(api.get("/health").body()).get("subscribers").intValue()).isEqualTo(SUBSCRIBERS_MAX);
    }
    open.forEach(Subscription::close);
  }

  @Test
  void aSubscriberThatStopsReadingHoldsLittleMemoryAndIsDroppedAfterTheStallTimeout() {
    var memory = ManagementFactory.getMemoryMXBean();
    var random = new Random(42);
    // The first large appends fill buffer pools on both sides; measure after them.
    for (int i = 0; i < BLOBS; i++) {
      appendBlob(random);
    }
    try (var stalled = RawHttp.connect(api.server.uri(), 4096)) {
      stalled.write("GET /v1/subscribe?from=" + (BLOBS + 1) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
      Eventually.await(Duration.ofSeconds(5), () -> api.server.activeSubscribers() == 1, () -> "not subscribed");
      System.gc();
      long heapBefore = memory.getHeapMemoryUsage().getUsed();

      long appendedBytes = 0;
      long slowestHeadMillis = 0;
      for (int i = 1; i <= BLOBS; i++) {
        appendedBytes += appendBlob(random);
        long started = System.nanoTime();
        assertThat(api.head()).isEqualTo(BLOBS + i);
        slowestHeadMillis = Math.max(slowestHeadMillis, (System.nanoTime() - started) / 1_000_000);
      }
      int subscribersAfterAppends = api.server.activeSubscribers();
      System.gc();
      long heapGrowth = memory.getHeapMemoryUsage().getUsed() - heapBefore;

      assertThat(slowestHeadMillis).as("slowest GET /v1/head while a subscriber stalls").isLessThan(1_000);
      assertThat(heapGrowth)
          .as("heap growth with %d subscriber(s) still open after appending %d bytes", subscribersAfterAppends, appendedBytes)
          .isLessThan(appendedBytes / 4);
      Eventually.await(
          STALL.multipliedBy(6), () -> api.server.activeSubscribers() == 0, () -> "the stalled subscriber is still open");
      assertThat(stalled.drainsToClose()).as("the server closed the stalled connection").isTrue();
    }
    try (var healthy = subscribe("/v1/subscribe?from=" + 2 * BLOBS)) {
      assertThat(healthy.nextEvent().get("position").longValue()).isEqualTo(2 * BLOBS);
    }
  }

  /** 80 appends of 256 KiB of random (so base64-rendered) data: 20 MiB, ~27 MiB on the wire. */
  static final int BLOBS = 80;

  private long appendBlob(Random random) {
    byte[] data = new byte[256 * 1024];
    random.nextBytes(data);
    api.append("{\"type\":\"Blob\",\"dataBase64\":\"" + Base64.getEncoder().encodeToString(data) + "\"}");
    return data.length;
  }

  @Test
  void aGracefulStopEndsEverySubscriptionWithAFinalMessage() {
    api.append("{\"type\":\"A\"},{\"type\":\"B\"}");
    var ndjson = subscribe("/v1/subscribe");
    var sse = subscribe("/v1/subscribe", "Accept", "text/event-stream");
    assertThat(ndjson.nextEvent().get("position").longValue()).isEqualTo(1);
    assertThat(ndjson.nextEvent().get("position").longValue()).isEqualTo(2);
    sse.nextFrame();
    sse.nextFrame();
    assertThat(sse.nextFrame().get("id")).isEqualTo("2");

    var closed = CompletableFuture.runAsync(api.server::close);

    assertThat(json(ndjson.nextEvent().toString()))
        .isEqualTo(json("{\"end\":true,\"reason\":\"the server is shutting down\",\"lastPosition\":2}"));
    assertThat(ndjson.lines().endsWithin(Duration.ofSeconds(5))).isTrue();
    Map<String, String> end = sse.nextFrame();
    assertThat(end.get("event")).isEqualTo("end");
    assertThat(json(end.get("data"))).isEqualTo(json("{\"reason\":\"the server is shutting down\",\"lastPosition\":2}"));
    assertThat(sse.lines().endsWithin(Duration.ofSeconds(5))).isTrue();
    closed.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
    assertThat(api.server.activeSubscribers()).isZero();
  }

  @Test
  void aSubscriptionEndsWhenTheStoreIsClosedAndNewOnesAreUnavailable() {
    api.append("{\"type\":\"A\"}");
    try (var subscription = subscribe("/v1/subscribe")) {
      assertThat(subscription.nextEvent().get("position").longValue()).isEqualTo(1);

      api.store.close();

      assertThat(subscription.nextEvent())
          .isEqualTo(json("{\"end\":true,\"reason\":\"the store was closed\",\"lastPosition\":1}"));
      assertThat(subscription.lines().endsWithin(Duration.ofSeconds(5))).isTrue();
    }
    var refused = api.get("/v1/subscribe");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(json(refused.body()).get("error").textValue()).isEqualTo("unavailable");
  }
}

package io.chiplog.server;

import static io.chiplog.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.memory.InMemoryEventStore;
import io.chiplog.testkit.ForwardingEventStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 503 while the store is closed or the server stops, and 500 when the store fails oddly. */
class ShutdownHttpIT {
  @TempDir Path directory;

  @Test
  void aClosedStoreIsUnavailableAndNotReadyButStillLive() {
    try (var api = TestServer.start(directory)) {
      api.append("{\"type\":\"A\"}");

      api.store.close();

      for (var response :
          java.util.List.of(
              api.postJson("/v1/append", "{\"events\":[{\"type\":\"A\"}]}"),
              api.postJson("/v1/read", "{}"),
              api.get("/v1/head"))) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(json(response.body()).get("error").textValue()).isEqualTo("unavailable");
      }
      var ready = api.get("/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(json(ready.body()))
          .isEqualTo(json("{\"status\":\"down\",\"live\":true,\"ready\":false,\"subscribers\":0}"));
      assertThat(api.get("/health").statusCode()).isEqualTo(503);
      assertThat(api.get("/health/live").statusCode()).isEqualTo(200);
      assertThat(api.get("/metrics").body()).contains("chiplog_head_position NaN");
    }
  }

  @Test
  void aGracefulStopFinishesRequestsInFlightAndAnswersNewOnesUnavailable() throws Exception {
    var entered = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var gated =
        new ForwardingEventStore(InMemoryEventStore.create()) {
          @Override
          public AppendResult append(AppendRequest request) {
            entered.countDown();
            await(release);
            return super.append(request);
          }
        };
    try (var api = TestServer.over(gated, ServerOptions.builder().shutdownGracePeriod(Duration.ofSeconds(10)));
        var inFlight = RawHttp.connect(api.server.uri(), 0);
        var keptAlive = RawHttp.connect(api.server.uri(), 0)) {
      assertThat(keptAlive.write(get("/health/ready")).read().status()).isEqualTo(200);
      String body = "{\"events\":[{\"type\":\"DuringStop\"}]}";
      inFlight.write(
          "POST /v1/append HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
              + body.length() + "\r\n\r\n" + body);
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

      var closed = CompletableFuture.runAsync(api.server::close);
      // Until close() has begun, the probe may still be answered 200; wait for the first 503.
      var notReady = keptAlive.write(get("/health/ready")).read();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (notReady.status() == 200 && System.nanoTime() < deadline) {
        notReady = keptAlive.write(get("/health/ready")).read();
      }
      release.countDown();
      var appended = inFlight.read();
      closed.get(10, TimeUnit.SECONDS);

      assertThat(notReady.status()).isEqualTo(503);
      assertThat(notReady.headers().get("content-type")).isEqualTo("application/json");
      // Answered by the health endpoint (not ready) or, once Jetty's graceful stop has begun,
      // by Jetty itself: either way JSON.
      var answer = json(notReady.body());
      assertThat(answer.path("error").asText("") + answer.path("status").asText(""))
          .isIn("unavailable", "stopping");
      assertThat(appended.status()).as(appended.body()).isEqualTo(200);
      assertThat(gated.head()).isEqualTo(1);
    }
  }

  @Test
  void aReadThatFailsAfterItsAnswerBeganIsCutShortNotCompleted() throws Exception {
    var memory = InMemoryEventStore.create();
    for (int i = 0; i < 2_000; i++) {
      memory.append(AppendRequest.of(io.chiplog.api.EventData.ofJson("A", "{\"n\":" + i + "}")));
    }
    var failing =
        new ForwardingEventStore(memory) {
          @Override
          public Stream<RecordedEvent> read(Query query, ReadOptions options) {
            // Enough events to commit the answer (Jetty's 32 KiB buffer), then a store failure.
            return Stream.concat(
                super.read(query, options).limit(1_500),
                Stream.generate(() -> {
                  throw new io.chiplog.api.StoreIoException("the disk went away");
                }));
          }
        };
    try (var api = TestServer.over(failing, ServerOptions.builder());
        var connection = RawHttp.connect(api.server.uri(), 0)) {
      connection.write(
          "POST /v1/read HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
              + "Content-Length: 2\r\n\r\n{}");

      String raw = connection.readUntilClosed();

      assertThat(raw).startsWith("HTTP/1.1 200").contains("\"position\":1,");
      // A chunked answer that completes ends with the zero-length chunk; this one must not.
      assertThat(raw).doesNotEndWith("0\r\n\r\n");
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
  }

  @Test
  void anUnexpectedStoreFailureIsAnInternalErrorThatNamesNoDetails() {
    var failing =
        new ForwardingEventStore(InMemoryEventStore.create()) {
          @Override
          public long head() {
            throw new IllegalStateException("secret internals");
          }
        };
    try (var api = TestServer.over(failing, ServerOptions.builder())) {
      var response = api.get("/v1/head");

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(json(response.body()))
          .isEqualTo(json("{\"error\":\"internal\",\"message\":\"internal error: IllegalStateException\"}"));
    }
  }
}

package io.chiplog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.protocol.WireJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;

/**
 * Subscription delivery latency over server-sent events: events are appended at a fixed rate,
 * each carrying the time it was sent, and one SSE subscriber records how long each took to
 * arrive (send, durable commit, wake-up, HTTP write, parse). Sender and subscriber share this
 * process's clock.
 */
final class SseDeliveryLoad {
  private static final String TYPE = "BenchTick";

  private final EventStore store;
  private final URI server;
  private final int rate;
  private final int dataSize;

  SseDeliveryLoad(EventStore store, URI server, int rate, int dataSize) {
    this.store = store;
    this.server = server;
    this.rate = rate;
    this.dataSize = dataSize;
  }

  BenchReport run(Duration warmup, Duration duration) throws Exception {
    var recorder = new Recorder(3);
    var received = new AtomicLong();
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + duration.toNanos();
    try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      var request =
          HttpRequest.newBuilder(server.resolve("/v1/subscribe?types=" + TYPE + "&from=" + (store.head() + 1)))
              .header("Accept", WireJson.EVENT_STREAM)
              .build();
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        throw new IOException("subscribe answered " + response.statusCode());
      }
      Thread subscriber = Thread.ofPlatform().name("bench-sse").daemon().start(() -> {
        try (var lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
          for (String line; (line = lines.readLine()) != null; ) {
            if (line.startsWith("data: ")) {
              long arrived = System.nanoTime();
              JsonNode event = WireJson.mapper().readTree(line.substring(6));
              long sent = event.path("data").path("t").asLong();
              if (sent >= measureFrom && sent < end) {
                recorder.recordValue(arrived - sent);
                received.incrementAndGet();
              }
            }
          }
        } catch (IOException closed) {
          // The run is over and the connection was closed under the reader.
        }
      });
      long sentInWindow = publish(start, end, measureFrom);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (received.get() < sentInWindow && System.nanoTime() < deadline) {
        LockSupport.parkNanos(1_000_000);
      }
      response.body().close();
      subscriber.interrupt();
      return new BenchReport(
          "sse delivery at " + rate + " events/s", received.get(), duration.toNanos() / 1e9,
          recorder.getIntervalHistogram(), sentInWindow - received.get());
    }
  }

  /** Appends one event every 1/rate seconds until {@code end}; returns how many in the window. */
  private long publish(long start, long end, long measureFrom) {
    long interval = 1_000_000_000L / rate;
    long next = start;
    long inWindow = 0;
    String pad = "x".repeat(Math.max(0, dataSize - 40));
    while (next < end) {
      long now = System.nanoTime();
      if (now < next) {
        LockSupport.parkNanos(next - now);
        continue;
      }
      String json = "{\"t\":" + next + ",\"pad\":\"" + pad + "\"}";
      // The recorded send time is the schedule, not the moment this thread got round to it, so
      // a stalled sender shows up as latency instead of hiding (no coordinated omission).
      store.appendAsync(AppendRequest.of(EventData.ofJson(TYPE, json)));
      if (next >= measureFrom) {
        inWindow++;
      }
      next += interval;
    }
    return inWindow;
  }
}

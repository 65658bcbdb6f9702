package io.chiplog.cli;

import com.fasterxml.jackson.databind.JsonNode;
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

  private static final int PUBLISHERS = 16;

  private final URI server;
  private final int rate;
  private final int dataSize;

  SseDeliveryLoad(URI server, int rate, int dataSize) {
    this.server = server;
    this.rate = rate;
    this.dataSize = dataSize;
  }

  private long head(HttpClient http) throws IOException, InterruptedException {
    String body = http.send(HttpRequest.newBuilder(server.resolve("/v1/head")).build(), HttpResponse.BodyHandlers.ofString()).body();
    return WireJson.mapper().readTree(body).path("position").asLong();
  }

  BenchReport run(Duration warmup, Duration duration) throws Exception {
    var recorder = new Recorder(3);
    var fromRecorded = new Recorder(3);
    var received = new AtomicLong();
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + duration.toNanos();
    try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      var request =
          HttpRequest.newBuilder(server.resolve("/v1/subscribe?types=" + TYPE + "&from=" + (head(http) + 1)))
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
              java.time.Instant arrivedAt = java.time.Instant.now();
              JsonNode event = WireJson.mapper().readTree(line.substring(6));
              long sent = event.path("data").path("t").asLong();
              if (sent >= measureFrom && sent < end) {
                recorder.recordValue(arrived - sent);
                var recordedAt = java.time.Instant.parse(event.path("recordedAt").asText());
                fromRecorded.recordValue(Math.max(0, java.time.Duration.between(recordedAt, arrivedAt).toNanos()));
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
      var sinceRecorded = fromRecorded.getIntervalHistogram();
      System.out.printf(java.util.Locale.ROOT,
          "sse delivery from the store's recordedAt to the subscriber: ms p50 %.2f  p99 %.2f  max %.2f%n",
          sinceRecorded.getValueAtPercentile(50) / 1e6, sinceRecorded.getValueAtPercentile(99) / 1e6,
          sinceRecorded.getMaxValue() / 1e6);
      return new BenchReport(
          "sse delivery at " + rate + " events/s, from the scheduled send", received.get(),
          duration.toNanos() / 1e9, recorder.getIntervalHistogram(), sentInWindow - received.get());
    }
  }

  /**
   * Appends one event every 1/rate seconds until {@code end}, from {@link #PUBLISHERS}
   * connections that take the scheduled slots in turn; returns how many fall in the window.
   */
  private long publish(long start, long end, long measureFrom) throws InterruptedException {
    long interval = 1_000_000_000L / rate;
    var nextSlot = new AtomicLong();
    var inWindow = new AtomicLong();
    String pad = "x".repeat(Math.max(0, dataSize - 40));
    var publishers = new java.util.ArrayList<Thread>();
    for (int i = 0; i < PUBLISHERS; i++) {
      publishers.add(Thread.ofVirtual().name("bench-publisher-", i).start(() -> {
        try (var connection = new RawHttpConnection(server)) {
          while (true) {
            long slot = start + nextSlot.getAndIncrement() * interval;
            if (slot >= end) {
              return;
            }
            long wait = slot - System.nanoTime();
            if (wait > 0) {
              LockSupport.parkNanos(wait);
            }
            // The recorded send time is the slot, not the moment a connection got round to it,
            // so a stalled sender shows up as latency instead of hiding (no coordinated omission).
            String json = "{\"events\":[{\"type\":\"" + TYPE + "\",\"data\":{\"t\":" + slot + ",\"pad\":\"" + pad + "\"}}]}";
            int status = connection.exchange(RawHttpConnection.post(server, "/v1/append", json.getBytes(StandardCharsets.UTF_8)));
            if (status == 200 && slot >= measureFrom) {
              inWindow.incrementAndGet();
            }
          }
        } catch (IOException e) {
          System.err.println("a bench publisher failed: " + e.getMessage());
        }
      }));
    }
    for (Thread publisher : publishers) {
      publisher.join();
    }
    return inWindow.get();
  }
}

package io.chiplog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.store.FileEventStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while 16 clients append: the server stops gracefully, and after a restart every
 * append it acknowledged is there, at the position it answered. Three rounds on one store.
 */
class GracefulShutdownIT {
  private static final Pattern FIRST_POSITION = Pattern.compile("\"firstPosition\":(\\d+)");
  private static final int WRITERS = 16;
  private static final int ROUNDS = 3;

  @TempDir Path data;

  @Test
  void sigtermDuringWritesLosesNoAcknowledgedAppend() throws Exception {
    var acknowledged = new ConcurrentHashMap<UUID, Long>();
    for (int round = 0; round < ROUNDS; round++) {
      int before = acknowledged.size();
      try (var server = ServerProcess.start(data);
          var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
        var stop = new AtomicBoolean();
        var writers = Stream.generate(() -> Thread.ofVirtual().start(() -> write(http, server.uri(), acknowledged, stop)))
            .limit(WRITERS).toList();
        awaitAtLeast(acknowledged, before + 300);
        int exitCode = server.terminate();
        stop.set(true);
        for (Thread writer : writers) {
          writer.join();
        }
        // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks (ours stops the server, then the
        // store) and exited because of the signal.
        assertThat(exitCode).isIn(0, 143);
      }
    }
    try (var store = FileEventStore.open(data)) {
      Map<Long, UUID> stored;
      try (Stream<RecordedEvent> events = store.read(Query.all(), ReadOptions.forwards())) {
        stored = events.collect(Collectors.toMap(RecordedEvent::position, RecordedEvent::id));
      }
      assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ROUNDS * 300);
      acknowledged.forEach((id, position) -> assertThat(stored.get(position)).as("position " + position).isEqualTo(id));
      assertThat(store.verify().isSound()).isTrue();
    }
  }

  /** Appends until stopped; records each acknowledged event's id and position. */
  private static void write(HttpClient http, URI server, Map<UUID, Long> acknowledged, AtomicBoolean stop) {
    while (!stop.get()) {
      UUID id = UUID.randomUUID();
      var request = HttpRequest.newBuilder(server.resolve("/v1/append"))
          .header("Content-Type", "application/json")
          .timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"events\":[{\"id\":\"" + id + "\",\"type\":\"Written\",\"data\":{\"n\":1}}]}"))
          .build();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          Matcher matcher = FIRST_POSITION.matcher(response.body());
          assertThat(matcher.find()).as(response.body()).isTrue();
          acknowledged.put(id, Long.parseLong(matcher.group(1)));
        } else {
          assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        }
      } catch (java.io.IOException refusedOrReset) {
        // The server is stopping or gone: this append was never acknowledged.
        Thread.onSpinWait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void awaitAtLeast(Map<UUID, Long> acknowledged, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (acknowledged.size() < count) {
      assertThat(System.nanoTime()).as("acknowledged appends within 60 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}

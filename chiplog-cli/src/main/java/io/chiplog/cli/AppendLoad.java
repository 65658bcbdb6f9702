package io.chiplog.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Single-event appends from {@code connections} connections, each waiting for its answer before
 * sending the next (closed loop), as 64 users of a service would. Each connection is a {@link
 * RawHttpConnection} on its own virtual thread, so the generator stays cheaper than the server.
 */
final class AppendLoad {
  private final URI server;
  private final int connections;
  private final byte[] data;

  AppendLoad(URI server, int connections, int dataSize) {
    this.server = server;
    this.connections = connections;
    this.data = payload(dataSize);
  }

  static byte[] payload(int size) {
    var json = new StringBuilder("{\"pad\":\"");
    while (json.length() < size - 2) {
      json.append('x');
    }
    return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
  }

  BenchReport run(Duration warmup, Duration duration) throws InterruptedException {
    var recorder = new Recorder(3);
    var done = new AtomicLong();
    var failed = new AtomicLong();
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + duration.toNanos();
    var threads = new ArrayList<Thread>();
    byte[] request =
        RawHttpConnection.post(server, "/v1/append",
            ("{\"events\":[{\"type\":\"BenchEvent\",\"tags\":[\"bench:append\"],\"data\":"
                + new String(data, StandardCharsets.UTF_8) + "}]}").getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < connections; i++) {
      threads.add(Thread.ofVirtual().name("bench-append-", i).start(() -> {
        try (var connection = new RawHttpConnection(server)) {
          while (true) {
            long sent = System.nanoTime();
            if (sent >= end) {
              return;
            }
            int status = connection.exchange(request);
            long answered = System.nanoTime();
            if (status != 200) {
              failed.incrementAndGet();
            } else if (sent >= measureFrom && answered <= end) {
              recorder.recordValue(answered - sent);
              done.incrementAndGet();
            }
          }
        } catch (IOException e) {
          failed.incrementAndGet();
          System.err.println("a bench connection failed: " + e.getMessage());
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    Histogram histogram = recorder.getIntervalHistogram();
    return new BenchReport(
        "append, " + connections + " connections", done.get(), duration.toNanos() / 1e9, histogram, failed.get());
  }
}

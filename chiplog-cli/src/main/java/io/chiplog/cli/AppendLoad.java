package io.chiplog.cli;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Single-event appends from {@code connections} threads, each waiting for its answer before
 * sending the next (closed loop), as 64 users of a service would.
 */
final class AppendLoad {
  private final EventStore store;
  private final int connections;
  private final byte[] data;

  AppendLoad(EventStore store, int connections, int dataSize) {
    this.store = store;
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
    for (int i = 0; i < connections; i++) {
      threads.add(Thread.ofVirtual().name("bench-append-", i).start(() -> {
        while (true) {
          long sent = System.nanoTime();
          if (sent >= end) {
            return;
          }
          try {
            store.append(AppendRequest.of(EventData.of("BenchEvent", data).withTags("bench:append")));
          } catch (RuntimeException e) {
            failed.incrementAndGet();
            continue;
          }
          long answered = System.nanoTime();
          if (sent >= measureFrom && answered <= end) {
            recorder.recordValue(answered - sent);
            done.incrementAndGet();
          }
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

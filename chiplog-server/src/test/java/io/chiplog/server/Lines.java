package io.chiplog.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The lines of a streamed response as they arrive, read by a virtual thread so that a test
 * waits for the next line with a deadline instead of blocking forever. The end of the stream
 * is an empty {@link Optional}.
 */
final class Lines implements AutoCloseable {
  private static final Optional<String> END = Optional.empty();

  private final InputStream body;
  private final BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();

  Lines(InputStream body) {
    this.body = body;
    Thread.ofVirtual().name("lines").start(this::pump);
  }

  private void pump() {
    try (var reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        lines.add(Optional.of(line));
      }
    } catch (IOException ended) {
      // Treated as the end of the stream.
    } finally {
      lines.add(END);
    }
  }

  /** The next line, or an empty optional at the end of the stream. */
  Optional<String> nextOrEnd(Duration timeout) {
    try {
      Optional<String> line = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("no line within " + timeout);
      }
      if (line.isEmpty()) {
        lines.add(END);
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next line; fails at the end of the stream or after {@code timeout}. */
  String next(Duration timeout) {
    return nextOrEnd(timeout).orElseThrow(() -> new AssertionError("the stream ended"));
  }

  String next() {
    return next(TestServer.TIMEOUT);
  }

  /** Whether the stream ends within {@code timeout}, skipping what comes before the end. */
  boolean endsWithin(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        Optional<String> line =
            lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          return false;
        }
        if (line.isEmpty()) {
          lines.add(END);
          return true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException ignored) {
      // Closing is all we wanted.
    }
  }
}

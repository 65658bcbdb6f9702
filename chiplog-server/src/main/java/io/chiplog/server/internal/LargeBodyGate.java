package io.chiplog.server.internal;

import io.chiplog.protocol.ErrorCode;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how many large request bodies are in memory at once. Virtual threads make requests
 * cheap, so nothing else limits concurrency; a large append holds its body, its JSON tree and
 * its decoded events together, and a few dozen maximal ones at once would exhaust a default
 * heap. Small bodies (the usual appends) never wait. Thread-safe.
 */
final class LargeBodyGate {
  /** Bodies above this many bytes, or of unknown length, take a permit. */
  static final long LARGE_BYTES = 1 << 20;

  private final Semaphore permits;
  private final Duration patience;

  LargeBodyGate(int concurrentMax, Duration patience) {
    this.permits = new Semaphore(concurrentMax, /* fair= */ true);
    this.patience = patience;
  }

  /**
   * Waits for a permit for a body of {@code declaredLength} bytes (-1 when unknown).
   *
   * @return whether a permit was taken, which the caller must {@link #leave()}
   * @throws Exchange.HttpProblem 503 when no permit came within the patience
   */
  boolean enter(long declaredLength) {
    if (declaredLength >= 0 && declaredLength <= LARGE_BYTES) {
      return false;
    }
    try {
      if (permits.tryAcquire(patience.toNanos(), TimeUnit.NANOSECONDS)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new Exchange.HttpProblem(
        ErrorCode.UNAVAILABLE, "too many large requests at once; retry the same request later");
  }

  void leave() {
    permits.release();
  }
}

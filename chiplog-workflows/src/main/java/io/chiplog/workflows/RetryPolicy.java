package io.chiplog.workflows;

import java.time.Duration;

/**
 * How often a step (or a compensation) that throws is tried, and how long the engine waits
 * between attempts: exponential backoff from {@code backoffInitial}, doubling up to {@code
 * backoffMax}. The waits are durable timers: a retry due during a crash runs after the restart.
 *
 * @param attemptsMax attempts in all, at least 1
 * @param backoffInitial the wait after the first failure
 * @param backoffMax the longest wait
 */
public record RetryPolicy(int attemptsMax, Duration backoffInitial, Duration backoffMax) {

  /** The default: 5 attempts, 100 ms doubling up to 5 s. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(5));

  /**
   * The default of compensations: 20 attempts, 1 s doubling up to 1 min (about 15 minutes in
   * all), since giving up leaves a workflow half undone.
   */
  public static final RetryPolicy COMPENSATION = new RetryPolicy(20, Duration.ofSeconds(1), Duration.ofMinutes(1));

  /** Checks the values. */
  public RetryPolicy {
    if (attemptsMax < 1) {
      throw new IllegalArgumentException("attemptsMax must be at least 1, was " + attemptsMax);
    }
    if (backoffInitial.isNegative() || backoffMax.compareTo(backoffInitial) < 0) {
      throw new IllegalArgumentException(
          "backoffs must satisfy 0 <= initial <= max, were " + backoffInitial + " and " + backoffMax);
    }
  }

  /** Tries once: the first failure is for good. */
  public static RetryPolicy once() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
  }

  /** {@code attemptsMax} attempts with the default backoff. */
  public static RetryPolicy attempts(int attemptsMax) {
    return new RetryPolicy(attemptsMax, DEFAULT.backoffInitial, DEFAULT.backoffMax);
  }

  /** The wait after failed attempt number {@code failed} (1-based). */
  public Duration backoffAfter(int failed) {
    Duration wait = backoffInitial;
    for (int doubled = 1; doubled < failed && wait.compareTo(backoffMax) < 0; doubled++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(backoffMax) < 0 ? wait : backoffMax;
  }
}

package io.chiplog.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting for a condition in tests: checked often, with a deadline that only guards hangs. */
final class Conditions {
  /** Long enough never to fire on a healthy client; it turns a hang into a failure. */
  static final Duration HANG_GUARD = Duration.ofSeconds(30);

  private Conditions() {}

  /** Checks {@code condition} every millisecond until it holds; fails after the hang guard. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + HANG_GUARD.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("%s within %s", what, HANG_GUARD).isNegative();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }
}

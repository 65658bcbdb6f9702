package io.chiplog.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.EventSubscription;
import io.chiplog.api.RecordedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Draining subscriptions in tests, with timeouts that only guard against hangs. */
final class Subscribers {
  /** Long enough never to fire on a healthy store; it turns a hang into a failure. */
  static final Duration HANG_GUARD = Duration.ofSeconds(30);

  private Subscribers() {}

  /** Polls until {@code count} events arrived; fails if the guard elapses first. */
  static List<RecordedEvent> take(EventSubscription subscription, int count) throws InterruptedException {
    var out = new ArrayList<RecordedEvent>(count);
    long deadline = System.nanoTime() + HANG_GUARD.toNanos();
    while (out.size() < count) {
      long left = deadline - System.nanoTime();
      assertThat(left)
          .as("only %d of %d events arrived within %s", out.size(), count, HANG_GUARD)
          .isPositive();
      out.addAll(subscription.poll(count - out.size(), Duration.ofNanos(left)));
    }
    return out;
  }

  /** Polls briefly and asserts that nothing more arrives now. */
  static void assertIdle(EventSubscription subscription) throws InterruptedException {
    assertThat(subscription.poll(100, Duration.ofMillis(50))).isEmpty();
  }
}

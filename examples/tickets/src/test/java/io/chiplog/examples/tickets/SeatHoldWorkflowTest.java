package io.chiplog.examples.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The wait a hold's workflow asks for, given the engine's millisecond timers. */
class SeatHoldWorkflowTest {
  private static final Instant T0 = Instant.parse("2026-11-27T20:00:00Z");
  private static final HoldState HOLD =
      new HoldState("h1", "gala", "A1", "ann", T0.plusMillis(300), null);

  /**
   * What the engine does with a wait: its clock's milliseconds plus the wait's, both truncated
   * (with the clock read when the step returns; here, the same instant).
   */
  private static long timerDueMillis(Instant now, Duration wait) {
    return now.toEpochMilli() + wait.toMillis();
  }

  @Test
  void theTimerIsDueAtTheExpiryNotBeforeWhateverTheNanosecondsOfNow() {
    for (long nanos : new long[] {0, 1, 100_500, 999_999, 250_000_001}) {
      Instant now = T0.plusNanos(nanos);

      Duration wait = SeatHoldWorkflow.remaining(HOLD, now);

      assertThat(timerDueMillis(now, wait)).as("now + %d ns", nanos).isEqualTo(HOLD.expiresAt().toEpochMilli());
    }
  }

  @Test
  void aHoldPastItsExpiryWaitsNoMore() {
    assertThat(SeatHoldWorkflow.remaining(HOLD, HOLD.expiresAt())).isZero();
    assertThat(SeatHoldWorkflow.remaining(HOLD, HOLD.expiresAt().plusSeconds(5))).isZero();
  }
}

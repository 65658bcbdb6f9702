package io.chiplog.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.protocol.ErrorCode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** At most N large bodies at once; small ones pass freely. */
class LargeBodyGateTest {
  private final LargeBodyGate gate = new LargeBodyGate(2, Duration.ofMillis(50));

  @Test
  void smallBodiesNeverWaitAndTakeNoPermit() {
    for (int i = 0; i < 100; i++) {
      assertThat(gate.enter(LargeBodyGate.LARGE_BYTES)).isFalse();
    }
    assertThat(gate.enter(LargeBodyGate.LARGE_BYTES + 1)).isTrue();
  }

  @Test
  void largeAndUnknownBodiesBeyondTheMaximumAreUnavailableUntilOneLeaves() {
    assertThat(gate.enter(-1)).isTrue();
    assertThat(gate.enter(64L << 20)).isTrue();

    assertThatThrownBy(() -> gate.enter(2L << 20))
        .isInstanceOfSatisfying(Exchange.HttpProblem.class, e -> assertThat(e.code).isEqualTo(ErrorCode.UNAVAILABLE));
    gate.leave();
    assertThat(gate.enter(2L << 20)).isTrue();
  }
}

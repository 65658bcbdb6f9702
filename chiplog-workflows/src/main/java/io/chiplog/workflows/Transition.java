package io.chiplog.workflows;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a step (or a signal handler) answers: where the workflow goes next, with its new state.
 * The engine records it as one event in the instance's stream before it acts on it.
 *
 * @param <S> the workflow's state
 */
public sealed interface Transition<S> {

  /** Runs {@code step} next, with {@code state}. */
  static <S> Transition<S> to(String step, S state) {
    return new To<>(step, state);
  }

  /** Waits {@code delay} (a durable timer, which survives restarts), then runs {@code step}. */
  static <S> Transition<S> sleep(Duration delay, String step, S state) {
    return new Await<>(state, delay, null, step, false);
  }

  /** Waits until {@code deadline} (a durable timer), then runs {@code step}. */
  static <S> Transition<S> sleepUntil(Instant deadline, String step, S state) {
    return new Await<>(state, null, deadline, step, false);
  }

  /**
   * Waits for one of the workflow's signals ({@link Workflow.Builder#onSignal}); when none
   * arrives within {@code timeout}, a durable timer runs {@code onTimeout} instead. Whichever
   * comes first wins, and the other is refused or cancelled.
   */
  static <S> Transition<S> awaitSignal(Duration timeout, String onTimeout, S state) {
    return new Await<>(state, timeout, null, onTimeout, true);
  }

  /**
   * Waits for one of the workflow's signals until {@code deadline}, then runs {@code onTimeout}:
   * for a deadline fixed elsewhere (a hold's expiry told to a customer), whenever the step runs.
   */
  static <S> Transition<S> awaitSignalUntil(Instant deadline, String onTimeout, S state) {
    return new Await<>(state, null, deadline, onTimeout, true);
  }

  /** Waits for one of the workflow's signals, without a timeout. */
  static <S> Transition<S> awaitSignal(S state) {
    return new Await<>(state, null, null, null, true);
  }

  /** Ends the workflow, COMPLETED, with {@code state}. */
  static <S> Transition<S> end(S state) {
    return new End<>(state);
  }

  /**
   * Fails the workflow for good, without retrying: the compensations of the steps already done
   * run in reverse order, and it ends COMPENSATED (or FAILED when a compensation fails too).
   */
  static <S> Transition<S> fail(String reason) {
    return new Fail<>(reason);
  }

  /** Runs {@code step} next. */
  record To<S>(String step, S state) implements Transition<S> {
    /** Checks the fields. */
    public To {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(state, "state");
    }
  }

  /**
   * Waits for a timer, a signal, or both. The timer is due {@code timeout} after the transition
   * is recorded, or at {@code deadline}; never before (both are rounded up to the millisecond).
   *
   * @param timeout how long until {@code onTimeout} runs; null for a deadline or no timer
   * @param deadline when {@code onTimeout} runs; null for a timeout or no timer
   * @param onTimeout the step the timer runs; null exactly when there is no timer
   * @param signals whether signals are accepted meanwhile
   */
  record Await<S>(S state, @Nullable Duration timeout, @Nullable Instant deadline, @Nullable String onTimeout,
      boolean signals) implements Transition<S> {
    /** Checks the fields. */
    public Await {
      Objects.requireNonNull(state, "state");
      if (timeout != null && deadline != null) {
        throw new IllegalArgumentException("a timer has a timeout or a deadline, not both");
      }
      boolean timer = timeout != null || deadline != null;
      if (timer != (onTimeout != null)) {
        throw new IllegalArgumentException("a timer needs the step it runs, and a step a timer");
      }
      if (timeout != null && timeout.isNegative()) {
        throw new IllegalArgumentException("a timeout must not be negative: " + timeout);
      }
      if (!timer && !signals) {
        throw new IllegalArgumentException("a wait needs a timer, signals, or both");
      }
    }
  }

  /** Ends the workflow, COMPLETED. */
  record End<S>(S state) implements Transition<S> {
    /** Checks the fields. */
    public End {
      Objects.requireNonNull(state, "state");
    }
  }

  /** Fails the workflow for good, which compensates. */
  record Fail<S>(String reason) implements Transition<S> {
    /** Checks the fields. */
    public Fail {
      Objects.requireNonNull(reason, "reason");
    }
  }
}

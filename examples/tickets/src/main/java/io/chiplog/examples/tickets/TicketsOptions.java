package io.chiplog.examples.tickets;

import java.time.Duration;
import java.time.InstantSource;

/**
 * How the box office runs.
 *
 * @param holdFor how long a hold lasts unless paid
 * @param clock the time of holds, expiries and payments (the workflows' timers run on it too)
 * @param workflowWait how long a request waits for a hold's workflow: to reach its wait after
 *     the hold (it starts a moment after the {@code SeatHeld} is appended), or to finish the
 *     sale after a payment
 */
public record TicketsOptions(Duration holdFor, InstantSource clock, Duration workflowWait) {

  /** Checks the values. */
  public TicketsOptions {
    if (holdFor == null || holdFor.toMillis() < 1) {
      throw new IllegalArgumentException("holdFor must be at least 1 ms, was " + holdFor);
    }
    if (clock == null) {
      throw new IllegalArgumentException("clock must be given");
    }
    if (workflowWait == null || workflowWait.isNegative()) {
      throw new IllegalArgumentException("workflowWait must be at least 0, was " + workflowWait);
    }
  }

  /** Holds of 60 s, the system clock, and requests waiting up to 5 s for a workflow. */
  public static TicketsOptions defaults() {
    return new TicketsOptions(Duration.ofSeconds(60), InstantSource.system(), Duration.ofSeconds(5));
  }

  /** These options with holds of {@code value}. */
  public TicketsOptions withHoldFor(Duration value) {
    return new TicketsOptions(value, clock, workflowWait);
  }

  /** These options on {@code value}. */
  public TicketsOptions withClock(InstantSource value) {
    return new TicketsOptions(holdFor, value, workflowWait);
  }

  /** These options with requests waiting up to {@code value} for a workflow. */
  public TicketsOptions withWorkflowWait(Duration value) {
    return new TicketsOptions(holdFor, clock, value);
  }
}

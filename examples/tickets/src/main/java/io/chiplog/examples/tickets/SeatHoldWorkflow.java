package io.chiplog.examples.tickets;

import io.chiplog.api.Query;
import io.chiplog.examples.tickets.TicketEvent.SeatHeld;
import io.chiplog.workflows.RetryPolicy;
import io.chiplog.workflows.Transition;
import io.chiplog.workflows.Workflow;
import io.chiplog.workflows.WorkflowStart;
import java.time.Duration;
import java.time.Instant;

/**
 * The life of one hold as a durable workflow, {@code seat_hold}, one instance per {@link
 * SeatHeld} (its id is the hold's id):
 *
 * <pre>
 *   SeatHeld ──starts──▶ hold ──awaits "paid" until expiresAt──┬─ paid ──▶ sell    (SeatSold)     ──▶ end
 *                                                             └─ timer ─▶ release (SeatReleased) ──▶ end
 * </pre>
 *
 * <p>The engine decides the race between the payment and the timer: whichever it records first
 * wins, and the other is refused (a late signal) or cancelled (the timer). The timer is stored
 * with the instance, so a hold pending while the application is down expires after it restarts.
 * Selling and releasing are decision steps ({@link SeatRules#sell}, {@link SeatRules#release}):
 * the {@code SeatSold} or {@code SeatReleased} is appended in one append with the workflow's end,
 * on the condition that the hold had no event since the step read it, so each happens exactly
 * once, crash or not, and joins the instance's stream.
 */
final class SeatHoldWorkflow {
  /** The workflow's name; its instances' streams are {@code workflow-seat_hold-<holdId>}. */
  static final String NAME = "seat_hold";

  /** The first step: wait for the payment or the expiry. */
  static final String HOLD = "hold";

  /** The step after a payment. */
  static final String SELL = "sell";

  /** The step after the expiry. */
  static final String RELEASE = "release";

  /** The signal a payment sends. */
  static final String PAID = "paid";

  /**
   * Selling and releasing must happen in the end, or a seat stays held for good: they are
   * retried for several minutes (while the store is unavailable, say) before the instance fails
   * and needs a person.
   */
  static final RetryPolicy RETRY = new RetryPolicy(40, Duration.ofMillis(100), Duration.ofSeconds(10));

  private SeatHoldWorkflow() {}

  /**
   * The payload of {@link #PAID}, recorded with the signal.
   *
   * @param receivedAt when the payment was received
   */
  record Payment(Instant receivedAt) {}

  /** The definition. */
  static Workflow<HoldState> define() {
    return Workflow.builder(NAME, HoldState.class)
        .step(HOLD, (hold, step) -> Transition.awaitSignal(remaining(hold, step.now()), RELEASE, hold))
        .decide(SELL, TicketTypes.TYPES, (hold, reads, step) -> SeatRules.sell(reads, hold))
        .decide(RELEASE, TicketTypes.TYPES, (hold, reads, step) -> SeatRules.release(reads, hold))
        .onSignal(PAID, Payment.class, (hold, payment) -> Transition.to(SELL, hold))
        .retry(RETRY)
        .startOn(TicketTypes.TYPES, Query.types(TicketTypes.SEAT_HELD),
            event -> event instanceof SeatHeld held ? new WorkflowStart<>(held.holdId(), HoldState.of(held)) : null)
        .build();
  }

  /**
   * The wait left until the hold expires: counted from the hold's own time rather than from the
   * step, so a workflow that starts late (its trigger catching up after a restart) still expires
   * the hold when the customer was told, or at once if that has passed.
   *
   * <p>Rounded up to whole milliseconds: the engine's timer is due at the clock's milliseconds
   * (truncated) plus the wait's (truncated), so rounding down would fire it up to 2 ms before
   * {@code expiresAt}, while a payment until then is still accepted. With {@code expiresAt} in
   * whole milliseconds, rounding up makes the timer due at it, never before. It may be due a
   * little after: the engine reads its clock again when it records the wait, after this step
   * returned ({@link Tickets} refuses payments from {@code expiresAt} on, timer or not).
   */
  static Duration remaining(HoldState hold, Instant now) {
    long leftNanos = Duration.between(now, hold.expiresAt()).toNanos();
    return leftNanos <= 0 ? Duration.ZERO : Duration.ofMillis(Math.ceilDiv(leftNanos, 1_000_000L));
  }
}

package io.chiplog.examples.tickets;

import io.chiplog.examples.tickets.TicketEvent.SeatHeld;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The state of a hold's workflow ({@link SeatHoldWorkflow}): the hold as its {@link SeatHeld}
 * said, and how it ended. Stored as JSON in the workflow's events: change it only by adding
 * optional fields.
 *
 * @param expiresAt when the hold's timer fires unless it is paid before
 * @param outcome how it ended; null while open
 * @param position the position of its {@code SeatSold} or {@code SeatReleased} (or one after
 *     it, when a retried step found it appended already); 0 while open
 */
record HoldState(String holdId, String show, String seat, String customer, Instant expiresAt,
    @Nullable Outcome outcome, long position) {

  /** How a hold ends. */
  enum Outcome {
    /** Paid in time: the seat is sold. */
    SOLD,
    /** Expired: the seat is free again. */
    RELEASED
  }

  /** The open hold {@code held} starts. */
  static HoldState of(SeatHeld held) {
    return new HoldState(held.holdId(), held.show(), held.seat(), held.customer(), held.expiresAt(), null, 0);
  }

  /** This hold, ended with {@code how} by the event at (or before) {@code at}. */
  HoldState ended(Outcome how, long at) {
    return new HoldState(holdId, show, seat, customer, expiresAt, how, at);
  }

  /** The seat's name for messages: {@code <show>/<seat>}. */
  String seatName() {
    return show + "/" + seat;
  }
}

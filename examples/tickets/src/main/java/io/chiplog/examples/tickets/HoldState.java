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
 */
record HoldState(String holdId, String show, String seat, String customer, Instant expiresAt,
    @Nullable Outcome outcome) {

  /** How a hold ends. */
  enum Outcome {
    /** Paid in time: the seat is sold. */
    SOLD,
    /** Expired: the seat is free again. */
    RELEASED
  }

  /** The open hold {@code held} starts. */
  static HoldState of(SeatHeld held) {
    return new HoldState(held.holdId(), held.show(), held.seat(), held.customer(), held.expiresAt(), null);
  }

  /** This hold, ended with {@code how}. */
  HoldState ended(Outcome how) {
    return new HoldState(holdId, show, seat, customer, expiresAt, how);
  }

  /** The seat's name for messages: {@code <show>/<seat>}. */
  String seatName() {
    return show + "/" + seat;
  }
}

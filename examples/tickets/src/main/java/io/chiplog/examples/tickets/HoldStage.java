package io.chiplog.examples.tickets;

import io.chiplog.examples.tickets.TicketEvent.SeatHeld;
import io.chiplog.examples.tickets.TicketEvent.SeatReleased;
import io.chiplog.examples.tickets.TicketEvent.SeatSold;

/**
 * Where one hold is, as its newest event says: what the sell and release steps decide on, and
 * their consistency boundary (an event of the hold appended meanwhile makes their append fail).
 */
enum HoldStage {
  /** No event of the hold: it does not exist. */
  NONE,
  /** Held, neither paid nor expired yet. */
  HELD,
  /** Paid: the seat is sold. */
  SOLD,
  /** Expired: the seat was released. */
  RELEASED;

  /** The stage after {@code event}, which is the hold's newest. */
  static HoldStage after(TicketEvent event) {
    return switch (event) {
      case SeatHeld held -> HELD;
      case SeatSold sold -> SOLD;
      case SeatReleased released -> RELEASED;
    };
  }
}

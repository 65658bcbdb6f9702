package io.chiplog.examples.tickets;

import io.chiplog.examples.tickets.TicketEvent.SeatHeld;
import io.chiplog.examples.tickets.TicketEvent.SeatReleased;
import io.chiplog.examples.tickets.TicketEvent.SeatSold;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A seat as its newest event left it: a seat's state never depends on older events, so it is
 * read from one event whatever the seat's history ({@code Projection.last}).
 *
 * @param state free, held or sold
 * @param holdId the hold that holds or bought it; null when free
 * @param customer its holder or buyer; null when free
 * @param expiresAt when the hold expires, while held
 */
record Seat(State state, @Nullable String holdId, @Nullable String customer, @Nullable Instant expiresAt) {

  /** A seat nobody holds: never held, or released. */
  static final Seat FREE = new Seat(State.FREE, null, null, null);

  /** The three states of a seat. */
  enum State {
    FREE,
    HELD,
    SOLD
  }

  /** The seat after {@code event}, which is its newest. */
  static Seat after(TicketEvent event) {
    return switch (event) {
      case SeatHeld held -> new Seat(State.HELD, held.holdId(), held.customer(), held.expiresAt());
      case SeatSold sold -> new Seat(State.SOLD, sold.holdId(), sold.customer(), null);
      case SeatReleased released -> FREE;
    };
  }
}

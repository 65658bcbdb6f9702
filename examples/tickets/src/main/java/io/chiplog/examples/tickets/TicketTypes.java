package io.chiplog.examples.tickets;

import io.chiplog.examples.tickets.TicketEvent.SeatHeld;
import io.chiplog.examples.tickets.TicketEvent.SeatReleased;
import io.chiplog.examples.tickets.TicketEvent.SeatSold;
import io.chiplog.model.EventTypes;

/** The box office's event registry: the stored type names, stable if the classes move. */
final class TicketTypes {
  static final String SEAT_HELD = "SeatHeld";
  static final String SEAT_SOLD = "SeatSold";
  static final String SEAT_RELEASED = "SeatReleased";

  static final EventTypes<TicketEvent> TYPES = EventTypes.of(TicketEvent.class)
      .add(SEAT_HELD, SeatHeld.class)
      .add(SEAT_SOLD, SeatSold.class)
      .add(SEAT_RELEASED, SeatReleased.class)
      .build();

  private TicketTypes() {}
}

package io.chiplog.examples.tickets;

import static io.chiplog.examples.tickets.TicketEvent.holdTag;
import static io.chiplog.examples.tickets.TicketEvent.seatTag;
import static io.chiplog.examples.tickets.TicketTypes.SEAT_HELD;
import static io.chiplog.examples.tickets.TicketTypes.SEAT_RELEASED;
import static io.chiplog.examples.tickets.TicketTypes.SEAT_SOLD;

import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.examples.tickets.TicketEvent.SeatHeld;
import io.chiplog.examples.tickets.TicketEvent.SeatReleased;
import io.chiplog.examples.tickets.TicketEvent.SeatSold;
import io.chiplog.model.Decision;
import io.chiplog.model.DecisionContext;
import io.chiplog.model.Projection;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The rules of the box office as DCB decisions over one-event projections. Holding reads the
 * seat (tag {@code seat:<show>/<seat>}): two customers holding one seat at once cannot both
 * succeed, while holds of other seats never disturb each other. Selling and releasing read the
 * hold (tag {@code hold:<id>}), which makes them idempotent: a step run again finds the event its
 * earlier attempt appended and appends nothing.
 *
 * <p>Pure functions of what they read (time and ids come from the context); thread-safe.
 */
final class SeatRules {
  private static final List<String> SEAT_EVENTS = List.of(SEAT_HELD, SEAT_SOLD, SEAT_RELEASED);

  private SeatRules() {}

  /** The seat, from its newest event. */
  static Projection<Seat, TicketEvent> seat(String show, String seat) {
    return Projection.last("seat", Query.of(QueryItem.of(SEAT_EVENTS, List.of(seatTag(show, seat)))),
        Seat.FREE, (state, event) -> Seat.after(event));
  }

  /** The hold's stage, from its newest event. */
  static Projection<HoldStage, TicketEvent> hold(String holdId) {
    return Projection.last("hold", Query.of(QueryItem.of(SEAT_EVENTS, List.of(holdTag(holdId)))),
        HoldStage.NONE, (stage, event) -> HoldStage.after(event));
  }

  /** Holds the seat for {@code customer} for {@code holdFor}, unless it is held or sold. */
  static Answer<TicketEvent> hold(DecisionContext<TicketEvent> context, String show, String seat, String customer,
      Duration holdFor) {
    Seat current = context.read(seat(show, seat));
    String name = show + "/" + seat;
    return switch (current.state()) {
      // Whole milliseconds, the resolution of workflow timers: the hold then expires exactly
      // when its timer fires (see SeatHoldWorkflow.remaining).
      case FREE -> new Answer.Done<>(new SeatHeld(context.newId().toString(), show, seat, customer,
          holdFor.toMillis(), context.now().truncatedTo(ChronoUnit.MILLIS)));
      case HELD -> Answer.seatHeld("seat " + name + " is held until " + current.expiresAt());
      case SOLD -> Answer.seatSold("seat " + name + " is sold");
    };
  }

  /** Sells the held seat; nothing when this hold sold it already. */
  static Decision<TicketEvent> sell(DecisionContext<TicketEvent> context, HoldState hold) {
    HoldStage stage = context.read(hold(hold.holdId()));
    return switch (stage) {
      case HELD -> Decision.accept(new SeatSold(hold.holdId(), hold.show(), hold.seat(), hold.customer()));
      case SOLD -> Decision.accept(List.of());
      case NONE, RELEASED -> Decision.reject("hold " + hold.holdId() + " is " + stage + ": it cannot be sold");
    };
  }

  /** Releases the held seat; nothing when this hold released it already. */
  static Decision<TicketEvent> release(DecisionContext<TicketEvent> context, HoldState hold) {
    HoldStage stage = context.read(hold(hold.holdId()));
    return switch (stage) {
      case HELD -> Decision.accept(new SeatReleased(hold.holdId(), hold.show(), hold.seat(), hold.customer()));
      case RELEASED -> Decision.accept(List.of());
      case NONE, SOLD -> Decision.reject("hold " + hold.holdId() + " is " + stage + ": it cannot be released");
    };
  }
}

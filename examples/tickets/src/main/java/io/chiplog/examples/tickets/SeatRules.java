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
import io.chiplog.model.DecisionContext;
import io.chiplog.model.Projection;
import io.chiplog.workflows.Decided;
import io.chiplog.workflows.Transition;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The rules of the box office as DCB decisions over one-event projections. Holding reads the
 * seat (tag {@code seat:<show>/<seat>}): two customers holding one seat at once cannot both
 * succeed, while holds of other seats never disturb each other. Selling and releasing are the
 * decision steps of a hold's workflow: they read the hold (tag {@code hold:<id>}), and their event
 * is appended with the workflow's transition, so each happens once, crash or not.
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

  /**
   * The {@code sell} step: sells the held seat and ends the hold, in one append with the
   * workflow's transition. A hold found sold already (by an event from elsewhere) just ends; a
   * hold that is not held any more cannot be sold, which fails the workflow visibly.
   */
  static Decided<HoldState, TicketEvent> sell(DecisionContext<TicketEvent> context, HoldState hold) {
    HoldStage stage = context.read(hold(hold.holdId()));
    Transition<HoldState> sold = Transition.end(hold.ended(HoldState.Outcome.SOLD));
    return switch (stage) {
      case HELD -> Decided.append(sold, new SeatSold(hold.holdId(), hold.show(), hold.seat(), hold.customer()));
      case SOLD -> Decided.then(sold);
      case NONE, RELEASED -> Decided.then(Transition.fail("hold " + hold.holdId() + " is " + stage + ": it cannot be sold"));
    };
  }

  /** The {@code release} step: releases the held seat and ends the hold, like {@link #sell}. */
  static Decided<HoldState, TicketEvent> release(DecisionContext<TicketEvent> context, HoldState hold) {
    HoldStage stage = context.read(hold(hold.holdId()));
    Transition<HoldState> released = Transition.end(hold.ended(HoldState.Outcome.RELEASED));
    return switch (stage) {
      case HELD -> Decided.append(released, new SeatReleased(hold.holdId(), hold.show(), hold.seat(), hold.customer()));
      case RELEASED -> Decided.then(released);
      case NONE, SOLD -> Decided.then(Transition.fail("hold " + hold.holdId() + " is " + stage + ": it cannot be released"));
    };
  }
}

package io.chiplog.examples.tickets;

import static io.chiplog.examples.tickets.TicketEvent.holdTag;
import static io.chiplog.examples.tickets.TicketEvent.seatTag;
import static io.chiplog.examples.tickets.TicketEvent.showTag;
import static io.chiplog.examples.tickets.TicketTypes.SEAT_HELD;
import static io.chiplog.examples.tickets.TicketTypes.SEAT_RELEASED;
import static io.chiplog.examples.tickets.TicketTypes.SEAT_SOLD;
import static io.chiplog.examples.tickets.TicketTypes.TYPES;

import io.chiplog.api.EventStore;
import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.examples.tickets.TicketEvent.SeatHeld;
import io.chiplog.model.Commands;
import io.chiplog.model.Decision;
import io.chiplog.model.ModelOptions;
import io.chiplog.model.Outcome;
import io.chiplog.model.Recorded;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The seats' side of the box office: holds seats by the decision of {@link SeatRules} through a
 * {@link Commands}, and reads seats and holds straight from the log (always current, so no
 * {@code minPosition} is needed). Holding carries the key {@code seat:<show>/<seat>}. A decision
 * that meets a conflict on every attempt throws the {@link io.chiplog.api.AppendConflictException};
 * nothing was appended then. Selling and releasing are decision steps of {@link
 * SeatHoldWorkflow}, run by the workflow engine. Thread-safe.
 */
final class BoxOffice {
  private static final List<String> SEAT_EVENTS = List.of(SEAT_HELD, SEAT_SOLD, SEAT_RELEASED);

  private final EventStore store;
  private final Commands commands;

  BoxOffice(EventStore store, ModelOptions options) {
    this.store = store;
    this.commands = new Commands(store, options);
  }

  /**
   * A hold made.
   *
   * @param position the position of its event
   */
  record Held(SeatHeld event, long position) {}

  /**
   * The seats of a show that were ever held, by name, and the position the read covered.
   *
   * @param position the position of the newest seat event of the show
   */
  record ShowSeats(SortedMap<String, Seat> seats, long position) {
    ShowSeats {
      seats = Collections.unmodifiableSortedMap(new TreeMap<>(seats));
    }
  }

  /** Holds the seat for {@code customer} for {@code holdFor}; refused when it is held or sold. */
  Answer<Held> hold(String show, String seat, String customer, Duration holdFor) {
    // A rejection carries only its text, so the rules' own answer (which says whether the seat
    // was held or sold) is kept from the attempt that decided.
    var ruled = new AtomicReference<Answer<TicketEvent>>();
    Outcome<TicketEvent> outcome = commands.decide("hold", seatTag(show, seat), TYPES, context -> {
      Answer<TicketEvent> answer = SeatRules.hold(context, show, seat, customer, holdFor);
      ruled.set(answer);
      return switch (answer) {
        case Answer.Done<TicketEvent> done -> Decision.accept(done.value());
        case Answer.Refused<TicketEvent> refused -> Decision.reject(refused.reason());
        case Answer.Missing<TicketEvent> missing -> Decision.reject(missing.reason());
        case Answer.Busy<TicketEvent> busy -> Decision.reject(busy.reason());
      };
    });
    return switch (outcome) {
      case Outcome.Appended<TicketEvent> appended ->
          new Answer.Done<>(new Held((SeatHeld) appended.events().getFirst().event(), appended.lastPosition()));
      case Outcome.Rejected<TicketEvent> rejected -> ruled.get().retyped();
    };
  }

  /** Whether the hold was ever made: its {@code SeatHeld} is in the log. */
  boolean holdExists(String holdId) {
    var query = Query.of(QueryItem.types(SEAT_HELD).withTags(holdTag(holdId)));
    try (Stream<RecordedEvent> held = store.read(query, ReadOptions.forwards().limit(1))) {
      return held.findAny().isPresent();
    }
  }

  /** The show's seats that were ever held; empty when none was. */
  Optional<ShowSeats> seats(String show) {
    List<RecordedEvent> stored;
    try (Stream<RecordedEvent> events = store.read(Query.of(QueryItem.of(SEAT_EVENTS, List.of(showTag(show)))))) {
      stored = events.toList();
    }
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    var seats = new TreeMap<String, Seat>();
    for (Recorded<TicketEvent> recorded : TYPES.decode(stored)) {
      seats.put(recorded.event().seat(), Seat.after(recorded.event()));
    }
    return Optional.of(new ShowSeats(seats, stored.getLast().position()));
  }
}

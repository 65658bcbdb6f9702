package io.chiplog.examples.tickets;

import io.chiplog.model.Tagged;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The events of the box office. Every event belongs to one hold of one seat and carries three
 * tags: {@code seat:<show>/<seat>}, the boundary of "may this seat be held", {@code hold:<id>},
 * the boundary of "is this hold still open", and {@code show:<show>}, which lists a show's seats
 * in one read.
 *
 * <p>Show and seat names are 1 to 64 characters of {@code [A-Za-z0-9_-]}; the events check it,
 * so the {@code /} in a seat's tag can never be part of a name and no two seats share a tag.
 */
public sealed interface TicketEvent extends Tagged {

  /** The rule for show and seat names. */
  Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** The longest customer name, in characters. */
  int CUSTOMER_MAX_CHARS = 200;

  /** The tag of the events of one seat of one show. */
  static String seatTag(String show, String seat) {
    return "seat:" + show + "/" + seat;
  }

  /** The tag of the events of one hold. */
  static String holdTag(String holdId) {
    return "hold:" + holdId;
  }

  /** The tag of the events of every seat of a show. */
  static String showTag(String show) {
    return "show:" + show;
  }

  /** The hold the event belongs to. */
  String holdId();

  /** The show. */
  String show();

  /** The seat in the show. */
  String seat();

  /** Who holds (or bought) the seat. */
  String customer();

  @Override
  default Set<String> tags() {
    return Set.of(seatTag(show(), seat()), holdTag(holdId()), showTag(show()));
  }

  /**
   * A customer holds a free seat for {@code holdMillis}; unless paid by then, it is released.
   *
   * @param heldAt when the hold was decided; with {@code holdMillis} it fixes the expiry, so the
   *     hold's timer fires at the same instant however late its workflow starts
   */
  record SeatHeld(String holdId, String show, String seat, String customer, long holdMillis, Instant heldAt)
      implements TicketEvent {
    /** Checks the values. */
    public SeatHeld {
      requireHold(holdId, show, seat, customer);
      if (holdMillis < 1) {
        throw new IllegalArgumentException("holdMillis must be at least 1, was " + holdMillis);
      }
      if (heldAt == null) {
        throw new IllegalArgumentException("heldAt must be given");
      }
    }

    /** When the hold expires unless paid. */
    public Instant expiresAt() {
      return heldAt.plusMillis(holdMillis);
    }
  }

  /** The hold was paid in time: the seat is sold to its customer for good. */
  record SeatSold(String holdId, String show, String seat, String customer) implements TicketEvent {
    /** Checks the values. */
    public SeatSold {
      requireHold(holdId, show, seat, customer);
    }
  }

  /** The hold expired unpaid: the seat is free again. */
  record SeatReleased(String holdId, String show, String seat, String customer) implements TicketEvent {
    /** Checks the values. */
    public SeatReleased {
      requireHold(holdId, show, seat, customer);
    }
  }

  private static void requireHold(@Nullable String holdId, @Nullable String show, @Nullable String seat,
      @Nullable String customer) {
    if (holdId == null || holdId.isBlank()) {
      throw new IllegalArgumentException("holdId must not be blank");
    }
    requireName(show, "show");
    requireName(seat, "seat");
    if (customer == null || customer.isBlank() || customer.length() > CUSTOMER_MAX_CHARS) {
      throw new IllegalArgumentException("customer must be 1 to " + CUSTOMER_MAX_CHARS + " characters, not blank");
    }
  }

  private static void requireName(@Nullable String name, String field) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(field + " must be 1 to 64 characters of [A-Za-z0-9_-], was " + name);
    }
  }
}

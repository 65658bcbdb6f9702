package io.chiplog.examples.tickets;

/**
 * What the box office answers: done, with a value; the hold or show addressed does not exist; a
 * rule refused, with a code the client can act on; or the hold's workflow has not caught up yet
 * and asking again shortly will do. The HTTP layer maps them to 2xx, 404, 409 and 503.
 *
 * @param <T> the value when done
 */
sealed interface Answer<T> {

  /** Done. */
  record Done<T>(T value) implements Answer<T> {}

  /** The hold or show addressed does not exist. */
  record Missing<T>(String reason) implements Answer<T> {}

  /**
   * A rule refused.
   *
   * @param code what refused it, for clients: {@code seat_held}, {@code seat_sold}, {@code
   *     hold_expired}, {@code hold_paid}
   */
  record Refused<T>(String code, String reason) implements Answer<T> {}

  /** Not now: the hold's workflow has not reached its wait yet. Nothing was recorded. */
  record Busy<T>(String reason) implements Answer<T> {}

  /**
   * The same absence, refusal or wait, as an answer about something else.
   *
   * @throws IllegalStateException when this is {@link Done}: its value has no other type
   */
  default <U> Answer<U> retyped() {
    return switch (this) {
      case Done<T> done -> throw new IllegalStateException("a done answer cannot change its type: " + done.value());
      case Missing<T> missing -> new Missing<>(missing.reason());
      case Refused<T> refused -> new Refused<>(refused.code(), refused.reason());
      case Busy<T> busy -> new Busy<>(busy.reason());
    };
  }

  /** Refused: the seat is held. */
  static <T> Answer<T> seatHeld(String reason) {
    return new Refused<>("seat_held", reason);
  }

  /** Refused: the seat is sold. */
  static <T> Answer<T> seatSold(String reason) {
    return new Refused<>("seat_sold", reason);
  }

  /** Refused: the hold expired, and its seat was (or is about to be) released. */
  static <T> Answer<T> holdExpired(String reason) {
    return new Refused<>("hold_expired", reason);
  }

  /** Refused: the hold was paid already. */
  static <T> Answer<T> holdPaid(String reason) {
    return new Refused<>("hold_paid", reason);
  }
}

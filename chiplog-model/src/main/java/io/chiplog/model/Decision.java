package io.chiplog.model;

import java.util.List;

/**
 * What {@code decide} answers: the events to append, or a rejection. A rejection is an answer to
 * the caller (a unique number already taken, a base edition that does not exist), never an
 * event.
 *
 * @param <E> the event type
 */
public sealed interface Decision<E> {

  /** Append these events (none: nothing to do, which is not a rejection). */
  record Accept<E>(List<E> events) implements Decision<E> {
    /** Copies the events. */
    public Accept {
      events = List.copyOf(events);
    }
  }

  /** Refuse, for this reason. */
  record Reject<E>(String reason) implements Decision<E> {
    /** Checks the reason. */
    public Reject {
      if (reason == null || reason.isBlank()) {
        throw new IllegalArgumentException("a rejection needs a reason");
      }
    }
  }

  /** Accepts {@code events}. */
  @SafeVarargs
  static <E> Decision<E> accept(E... events) {
    var list = new java.util.ArrayList<E>(events.length);
    for (E event : events) {
      list.add(event);
    }
    return new Accept<>(list);
  }

  /** Accepts {@code events}. */
  static <E> Decision<E> accept(List<E> events) {
    return new Accept<>(events);
  }

  /** Rejects with {@code reason}. */
  static <E> Decision<E> reject(String reason) {
    return new Reject<>(reason);
  }
}

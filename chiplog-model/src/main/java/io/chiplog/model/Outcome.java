package io.chiplog.model;

import java.util.List;

/**
 * The answer to a command: the events appended, with their positions (for read-your-own-writes),
 * or the rejection {@code decide} gave.
 *
 * @param <E> the event type
 */
public sealed interface Outcome<E> {

  /**
   * The events were appended (possibly none, when the decision accepted nothing).
   *
   * @param events the appended events, in order
   * @param lastPosition the position of the last one, or the position the decision read up to
   *     when there were none
   * @param attempts how many times the command was decided (1 without conflicts)
   */
  record Appended<E>(List<Recorded<E>> events, long lastPosition, int attempts) implements Outcome<E> {
    /** Copies the events. */
    public Appended {
      events = List.copyOf(events);
    }
  }

  /**
   * {@code decide} refused.
   *
   * @param reason its reason
   * @param attempts how many times the command was decided
   */
  record Rejected<E>(String reason, int attempts) implements Outcome<E> {}

  /** Whether the command was accepted. */
  default boolean isAppended() {
    return this instanceof Appended;
  }
}

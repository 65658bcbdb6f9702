package io.chiplog.workflows;

import java.util.List;
import java.util.Objects;

/**
 * What a decision step ({@link Workflow.Builder#decide}) answers: the events to record and the
 * transition to make, appended together. With no events it is only the transition (a refusal
 * is often {@code Decided.then(Transition.fail(reason))}).
 *
 * @param events the events, in order; may be empty
 * @param then the transition
 * @param <S> the workflow's state
 * @param <E> the events
 */
public record Decided<S, E>(List<E> events, Transition<S> then) {

  /** Copies the events. */
  public Decided {
    events = List.copyOf(events);
    Objects.requireNonNull(then, "then");
  }

  /** Records {@code event} and makes {@code then}, in one append. */
  public static <S, E> Decided<S, E> append(Transition<S> then, E event) {
    return new Decided<>(List.of(event), then);
  }

  /** Records {@code events} and makes {@code then}, in one append. */
  public static <S, E> Decided<S, E> append(Transition<S> then, List<E> events) {
    return new Decided<>(events, then);
  }

  /** Makes {@code then} and records no event of its own. */
  public static <S, E> Decided<S, E> then(Transition<S> then) {
    return new Decided<>(List.of(), then);
  }
}

package io.chiplog.model.testing;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.memory.InMemoryEventStore;
import io.chiplog.model.Commands;
import io.chiplog.model.Commands.DecisionBody;
import io.chiplog.model.EventTypes;
import io.chiplog.model.ModelOptions;
import io.chiplog.model.Outcome;
import io.chiplog.model.Recorded;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Given/when/then for a DCB decision, over an in-memory store: the {@code given} events are
 * appended with their tags (so queries select them as in production), the decision runs through
 * {@link Commands} (at 2026-01-01T00:00:00Z, with ids from seed 42, so they are the same on
 * every run), and {@code then} compares what it appended or its rejection.
 *
 * <pre>{@code
 * DecisionFixture.of(types)
 *     .given(new CategoryAdded("fiction", "Fiction"), new BookAdded("b1", "fiction", 1, "Dune"))
 *     .when(context -> Catalogue.addBook(context, "fiction", "Emma", "b2"))
 *     .thenEvents(new BookAdded("b2", "fiction", 2, "Emma"));
 * }</pre>
 *
 * @param <E> the events
 */
public final class DecisionFixture<E> {
  private final EventTypes<E> types;
  private final List<E> given = new ArrayList<>();

  private DecisionFixture(EventTypes<E> types) {
    this.types = types;
  }

  /** A fixture for decisions over {@code types}. */
  public static <E> DecisionFixture<E> of(EventTypes<E> types) {
    return new DecisionFixture<>(types);
  }

  /** Events already stored, each appended on its own. */
  @SafeVarargs
  public final DecisionFixture<E> given(E... events) {
    for (E event : events) {
      given.add(event);
    }
    return this;
  }

  /** Runs {@code body} as a decision after the given events. */
  public Then<E> when(DecisionBody<E> body) {
    try (var store = InMemoryEventStore.create()) {
      for (E event : given) {
        store.append(AppendRequest.of(types.encode(event)));
      }
      var options = ModelOptions.builder()
          .clock(InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")))
          .random(new Random(42))
          .build();
      return new Then<>(new Commands(store, options).decide("fixture", types, body));
    }
  }

  /** What the decision did, to compare. */
  public static final class Then<E> {
    private final Outcome<E> outcome;

    Then(Outcome<E> outcome) {
      this.outcome = outcome;
    }

    /** Asserts that exactly {@code expected} were appended, in order. */
    @SafeVarargs
    public final void thenEvents(E... expected) {
      var wanted = new ArrayList<E>();
      for (E event : expected) {
        wanted.add(event);
      }
      if (!(outcome instanceof Outcome.Appended<E> appended)) {
        throw new AssertionError("expected the events " + wanted + " but the decision was " + outcome);
      }
      List<E> got = appended.events().stream().map(Recorded::event).toList();
      if (!got.equals(wanted)) {
        throw new AssertionError("expected the events " + wanted + " but got " + got);
      }
    }

    /** Asserts a rejection whose reason contains {@code reasonPart}. */
    public void thenRejected(String reasonPart) {
      if (!(outcome instanceof Outcome.Rejected<E> rejected) || !rejected.reason().contains(reasonPart)) {
        throw new AssertionError("expected a rejection containing \"" + reasonPart + "\" but got " + outcome);
      }
    }

    /** The outcome itself, for other checks. */
    public Outcome<E> outcome() {
      return outcome;
    }
  }

}

package io.chiplog.model.testing;

import io.chiplog.model.CommandContext;
import io.chiplog.model.Decision;
import io.chiplog.model.Entity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Given/when/then for an entity, without a store: {@code given} events are folded (and checked
 * for determinism), {@code when} decides on the result with a fixed context, {@code then}
 * compares.
 *
 * <pre>{@code
 * EntityFixture.of(books)
 *     .given(new EditionStarted("b1", 1))
 *     .when(new StartEdition("b1", 3))
 *     .thenRejected("edition 3 does not exist");
 * }</pre>
 *
 * @param <S> the state
 * @param <C> the commands
 * @param <E> the events
 */
public final class EntityFixture<S, C, E> {
  private final Entity<S, C, E> entity;
  private final List<E> given = new ArrayList<>();
  private CommandContext context = new FixedContext(Instant.parse("2026-01-01T00:00:00Z"), 42);

  private EntityFixture(Entity<S, C, E> entity) {
    this.entity = entity;
  }

  /** A fixture for {@code entity}. */
  public static <S, C, E> EntityFixture<S, C, E> of(Entity<S, C, E> entity) {
    return new EntityFixture<>(entity);
  }

  /** The events already in the stream. */
  @SafeVarargs
  public final EntityFixture<S, C, E> given(E... events) {
    for (E event : events) {
      given.add(event);
    }
    return this;
  }

  /** The context {@code decide} gets (default: 2026-01-01T00:00:00Z, ids from seed 42). */
  public EntityFixture<S, C, E> at(CommandContext value) {
    context = value;
    return this;
  }

  /** The state after the given events, checked for determinism. */
  public S state() {
    return Determinism.check(entity.initial(), entity.evolve(), given);
  }

  /** Decides {@code command} on the state after the given events. */
  public Then<E> when(C command) {
    return new Then<>(entity.decide().decide(state(), command, context));
  }

  /** What the decision was, to compare. */
  public static final class Then<E> {
    private final Decision<E> decision;

    Then(Decision<E> decision) {
      this.decision = decision;
    }

    /** Asserts that exactly {@code expected} were decided, in order. */
    @SafeVarargs
    public final void thenEvents(E... expected) {
      var wanted = new ArrayList<E>();
      for (E event : expected) {
        wanted.add(event);
      }
      if (!(decision instanceof Decision.Accept<E> accept)) {
        throw new AssertionError("expected the events " + wanted + " but the command was " + decision);
      }
      if (!accept.events().equals(wanted)) {
        throw new AssertionError("expected the events " + wanted + " but got " + accept.events());
      }
    }

    /** Asserts a rejection whose reason contains {@code reasonPart}. */
    public void thenRejected(String reasonPart) {
      if (!(decision instanceof Decision.Reject<E> reject) || !reject.reason().contains(reasonPart)) {
        throw new AssertionError("expected a rejection containing \"" + reasonPart + "\" but got " + decision);
      }
    }

    /** The decision itself, for other checks. */
    public Decision<E> decision() {
      return decision;
    }
  }
}

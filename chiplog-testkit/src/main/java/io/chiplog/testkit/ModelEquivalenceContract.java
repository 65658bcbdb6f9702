package io.chiplog.testkit;

import io.chiplog.api.EventStore;
import io.chiplog.api.memory.InMemoryEventStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed-driven property: a random sequence of appends (with every kind of check, retries and
 * partial overlaps), reads, stream reads and subscriptions, derived from one seed, gives the same
 * observable results on the backend as on {@link InMemoryEventStore}. Positions are compared
 * through the order of events, so a backend whose positions have gaps still passes. A failure
 * names its seed and the command that replays it.
 */
public interface ModelEquivalenceContract extends StoreContract {
  /** Operations per seed. */
  int OPERATIONS = 300;

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("io.chiplog.testkit.Seeds#seeds")
  default void behavesLikeTheReferenceModel(long seed) throws Exception {
    try (EventStore backend = newStore();
        EventStore model = InMemoryEventStore.create()) {
      new ModelComparison(seed, backend, model).run(OPERATIONS);
    } catch (AssertionError e) {
      throw new AssertionError(
          "seed " + seed + " diverged from the model; replay it with: mvn verify -Dtest='"
              + getClass().getSimpleName() + "#behavesLikeTheReferenceModel' -Dchiplog.seed=" + seed
              + " -Dsurefire.failIfNoSpecifiedTests=false\n" + e.getMessage(), e);
    }
  }
}

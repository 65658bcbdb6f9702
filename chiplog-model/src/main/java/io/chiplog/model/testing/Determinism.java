package io.chiplog.model.testing;

import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The determinism check of DESIGN §6: folding the same events twice must give equal states. A
 * fold that draws random numbers or ids, or reads a fine-grained clock ({@code Instant.now()},
 * {@code System.nanoTime()}), gives two different states — the second fold runs later and with
 * other draws — and the check names the first event after which they differ. It cannot see a
 * coarse clock ({@code LocalDate.now()}) or an order that is the same within one JVM: keep
 * {@code evolve} free of them by construction (it gets no context). States must implement
 * {@code equals} (records do).
 */
public final class Determinism {
  private Determinism() {}

  /**
   * Folds {@code events} from {@code initial} twice and compares the states after each event.
   *
   * @throws AssertionError naming the first event after which the two folds differ
   */
  public static <S, E> S check(S initial, BiFunction<S, E, S> evolve, List<E> events) {
    S first = initial;
    S second = initial;
    for (int i = 0; i < events.size(); i++) {
      E event = events.get(i);
      first = evolve.apply(first, event);
      // Let the clock move on between the two folds, as it would between two replays.
      Thread.yield();
      second = evolve.apply(second, event);
      if (!Objects.equals(first, second)) {
        throw new AssertionError(
            "evolve is not deterministic: after event " + i + " (" + event + ") one replay gave " + first
                + " and the other " + second + "; evolve must not read the clock, random numbers or ids");
      }
    }
    return first;
  }
}

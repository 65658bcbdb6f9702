package io.chiplog.views;

import io.chiplog.model.Recorded;

/**
 * How one event changes a key-value view. Deterministic and free of side effects: it may run
 * again for the same event after a crash or a retry, on a fresh batch.
 *
 * @param <E> the model's event type
 * @param <V> the view's value type
 */
@FunctionalInterface
public interface KeyValueHandler<E, V> {

  /** Applies {@code event} to the view through {@code changes}. */
  void apply(Recorded<E> event, Changes<V> changes);
}

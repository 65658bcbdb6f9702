package io.chiplog.views;

import org.jspecify.annotations.Nullable;

/**
 * The changes one event makes to a key-value view: read the current values, put new ones,
 * delete. Changes are collected for a batch of events and committed with the view's checkpoint
 * in one transaction; a fold that throws leaves nothing behind.
 *
 * @param <V> the value type; values are treated as immutable (records)
 */
public interface Changes<V> {

  /** The current value of {@code key}, including the changes of this batch so far; null if none. */
  @Nullable V get(String key);

  /** Sets the value of {@code key}. */
  void put(String key, V value);

  /** Removes {@code key}. */
  void delete(String key);
}

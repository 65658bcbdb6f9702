package io.chiplog.views;

import org.jspecify.annotations.Nullable;

/**
 * A value read from a key-value view, with the position the view had applied when it was read.
 *
 * @param value the value, or null when the key has none
 * @param position the view's position at the read: the value includes every event up to it
 * @param <V> the value type
 */
public record ViewValue<V>(@Nullable V value, long position) {}

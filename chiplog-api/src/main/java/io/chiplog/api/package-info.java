/**
 * The Chiplog contract: the events written ({@link io.chiplog.api.EventData}) and read
 * ({@link io.chiplog.api.RecordedEvent}), queries over types and tags, append conditions (per-stream
 * expected revisions and Dynamic Consistency Boundaries), the {@link io.chiplog.api.EventStore}
 * interface every backend implements, and its errors.
 *
 * <p>Every type here is an immutable value or an interface; values validate their input when they
 * are built, so an invalid event or query cannot reach a store. Values are thread-safe.
 */
@NullMarked
package io.chiplog.api;

import org.jspecify.annotations.NullMarked;

/**
 * The in-memory reference store: {@link io.chiplog.api.memory.InMemoryEventStore}, simple enough
 * to be obviously correct, used as the model in property tests and as a fast store in users' own
 * unit tests. Thread-safe; keeps nothing after it is closed.
 */
@NullMarked
package io.chiplog.api.memory;

import org.jspecify.annotations.NullMarked;

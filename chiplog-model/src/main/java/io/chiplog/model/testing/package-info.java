/**
 * Test fixtures for models, with no test framework of their own (failures are {@link
 * java.lang.AssertionError}s, which every framework reports): {@link
 * io.chiplog.model.testing.EntityFixture} ({@code given(events).when(command).thenEvents(...)}),
 * {@link io.chiplog.model.testing.DecisionFixture} (the same for DCB decisions, over an
 * in-memory store) and {@link io.chiplog.model.testing.Determinism} (replaying twice must give
 * the same state).
 */
@NullMarked
package io.chiplog.model.testing;

import org.jspecify.annotations.NullMarked;

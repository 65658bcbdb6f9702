/**
 * The conformance suite every {@link io.chiplog.api.EventStore} backend runs. It is a set of JUnit
 * test interfaces: a backend's test class implements {@link io.chiplog.testkit.EventStoreContract}
 * (and {@link io.chiplog.testkit.PersistenceContract} when it persists) and supplies a fresh
 * store; every default test method then runs against it. A backend that lacks a capability
 * visibly does not implement that contract; nothing is skipped silently.
 *
 * <pre>{@code
 * class InMemoryEventStoreTest implements EventStoreContract {
 *   public EventStore newStore() { return InMemoryEventStore.create(); }
 * }
 * }</pre>
 *
 * <p>Each test gets its own store (closed after it), so the suite's test methods are independent
 * and the implementing class needs no thread-safety.
 */
@NullMarked
package io.chiplog.testkit;

import org.jspecify.annotations.NullMarked;

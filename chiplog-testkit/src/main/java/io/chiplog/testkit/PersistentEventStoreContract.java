package io.chiplog.testkit;

/** The whole conformance suite for a backend that keeps its events across close and reopen. */
public interface PersistentEventStoreContract extends EventStoreContract, PersistenceContract {}

package io.chiplog.testkit;

import io.chiplog.api.EventStore;
import io.chiplog.api.memory.InMemoryEventStore;

/** The reference store passes the whole conformance suite. */
class InMemoryEventStoreTest implements EventStoreContract {
  @Override
  public EventStore newStore() {
    return InMemoryEventStore.create();
  }
}

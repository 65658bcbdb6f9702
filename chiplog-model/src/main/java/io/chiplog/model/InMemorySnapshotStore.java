package io.chiplog.model;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Snapshots in memory, lost on restart. Thread-safe. */
public final class InMemorySnapshotStore implements SnapshotStore {
  private final ConcurrentHashMap<String, Snapshot> byKey = new ConcurrentHashMap<>();

  @Override
  public Optional<Snapshot> load(String entity, String stream) {
    return Optional.ofNullable(byKey.get(entity + "/" + stream));
  }

  @Override
  public void save(Snapshot snapshot) {
    byKey.merge(snapshot.entity() + "/" + snapshot.stream(), snapshot,
        (old, fresh) -> fresh.revision() >= old.revision() || fresh.codeVersion() != old.codeVersion() ? fresh : old);
  }
}

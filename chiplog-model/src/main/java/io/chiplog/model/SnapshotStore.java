package io.chiplog.model;

import java.util.Optional;

/**
 * Where snapshots are kept: {@link InMemorySnapshotStore} for tests and caches, {@link
 * FileSnapshotStore} to keep them across restarts. A lost snapshot costs only a longer load.
 * Implementations are thread-safe.
 */
public interface SnapshotStore {

  /** The latest snapshot of {@code stream} of {@code entity}, if any. */
  Optional<Snapshot> load(String entity, String stream);

  /** Keeps {@code snapshot}, replacing an older one of the same stream. */
  void save(Snapshot snapshot);
}

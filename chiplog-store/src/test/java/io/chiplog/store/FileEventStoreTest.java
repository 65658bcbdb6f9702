package io.chiplog.store;

import io.chiplog.api.EventStore;
import io.chiplog.testkit.PersistentEventStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store passes the whole conformance suite, reopen included. */
class FileEventStoreTest implements PersistentEventStoreContract {
  @TempDir Path temporary;
  private final Map<EventStore, Path> directories = new IdentityHashMap<>();
  private int opened;

  @Override
  public EventStore newStore() {
    try {
      return open(Files.createDirectory(temporary.resolve("store-" + opened++)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public EventStore reopen(EventStore closed) {
    return open(directories.get(closed));
  }

  private EventStore open(Path directory) {
    // Small segments and checkpoints so the suite crosses segment and index-run boundaries.
    var store = FileEventStore.open(StoreOptions.builder(directory)
        .segmentSizeBytes(1 << 16)
        .checkpointIntervalEvents(64)
        .build());
    directories.put(store, directory);
    return store;
  }
}

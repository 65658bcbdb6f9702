package io.chiplog.client;

import io.chiplog.api.EventStore;
import io.chiplog.testkit.PersistentEventStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client passes the whole conformance suite against a real server over a {@code
 * FileEventStore}, reopen included: every value and every exception survives the trip through
 * HTTP API v1.
 */
class ChiplogClientConformanceIT implements PersistentEventStoreContract {
  @TempDir Path temporary;
  private final Map<EventStore, ServedStore> servers = new IdentityHashMap<>();
  private final List<ServedStore> started = new ArrayList<>();
  private int opened;

  @Override
  public EventStore newStore() {
    try {
      return clientOf(ServedStore.start(Files.createDirectory(temporary.resolve("store-" + opened++))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public EventStore reopen(EventStore closed) {
    ServedStore served = servers.get(closed);
    served.stop();
    served.restart();
    return clientOf(served);
  }

  private EventStore clientOf(ServedStore served) {
    if (!started.contains(served)) {
      started.add(served);
    }
    ChiplogClient client = served.client();
    servers.put(client, served);
    return client;
  }

  /** The tests close their clients; the servers and stores behind them are closed here. */
  @AfterEach
  void stopServers() {
    for (ServedStore served : started) {
      served.close();
    }
  }
}

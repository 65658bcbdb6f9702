package io.chiplog.client;

import io.chiplog.server.ChiplogServer;
import io.chiplog.server.ServerOptions;
import io.chiplog.store.FileEventStore;
import io.chiplog.store.StoreOptions;
import java.nio.file.Path;

/**
 * A {@link FileEventStore} in a directory served by a {@link ChiplogServer}: the far side of the
 * client in tests. {@link #restart()} stops both and starts them again on the same directory and
 * the same port, as an operator restarting the server would. Not thread-safe.
 */
final class ServedStore implements AutoCloseable {
  private final Path directory;
  private int port;
  private FileEventStore store;
  private ChiplogServer server;

  private ServedStore(Path directory, int port) {
    this.directory = directory;
    this.port = port;
    this.store = openStore(directory);
    this.server = serve(store, port);
    this.port = server.port();
  }

  /** Opens a store in {@code directory} and serves it on a free port. */
  static ServedStore start(Path directory) {
    return new ServedStore(directory, 0);
  }

  /** The server's address. */
  ChiplogServer server() {
    return server;
  }

  /** A new client of the server. */
  ChiplogClient client() {
    return ChiplogClient.connect(server.uri());
  }

  /** A new client of the server with {@code options} built on the server's address. */
  ClientOptions.Builder options() {
    return ClientOptions.builder(server.uri());
  }

  /** Stops the server and closes the store, leaving the directory for a restart. */
  void stop() {
    try {
      server.close();
    } finally {
      store.close();
    }
  }

  /** Starts the store and the server again, on the same directory and port. */
  void restart() {
    store = openStore(directory);
    server = serve(store, port);
  }

  @Override
  public void close() {
    stop();
  }

  private static FileEventStore openStore(Path directory) {
    // Small segments and checkpoints so the suite crosses segment and index-run boundaries.
    return FileEventStore.open(
        StoreOptions.builder(directory).segmentSizeBytes(1 << 16).checkpointIntervalEvents(64).build());
  }

  private static ChiplogServer serve(FileEventStore store, int port) {
    return ChiplogServer.start(store, ServerOptions.builder().port(port).build());
  }
}

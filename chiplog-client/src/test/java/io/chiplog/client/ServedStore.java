package io.chiplog.client;

import io.chiplog.server.ChiplogServer;
import io.chiplog.server.ServerOptions;
import io.chiplog.store.FileEventStore;
import io.chiplog.store.StoreOptions;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A {@link FileEventStore} in a directory served by a {@link ChiplogServer}: the far side of the
 * client in tests. {@link #restart()} stops both and starts them again on the same directory and
 * the same port, as an operator restarting the server would. Not thread-safe.
 */
final class ServedStore implements AutoCloseable {
  private final Path directory;
  private final UnaryOperator<ServerOptions.Builder> serverOptions;
  private final int port;
  private FileEventStore store;
  private ChiplogServer server;

  private ServedStore(Path directory, UnaryOperator<ServerOptions.Builder> serverOptions) {
    this.directory = directory;
    this.serverOptions = serverOptions;
    this.store = openStore(directory);
    this.server = serve(0);
    this.port = server.port();
  }

  /** Opens a store in {@code directory} and serves it on a free port. */
  static ServedStore start(Path directory) {
    return new ServedStore(directory, UnaryOperator.identity());
  }

  /** Opens a store in {@code directory} and serves it on a free port with these options. */
  static ServedStore start(Path directory, UnaryOperator<ServerOptions.Builder> serverOptions) {
    return new ServedStore(directory, serverOptions);
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
    server = serve(port);
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

  private ChiplogServer serve(int onPort) {
    return ChiplogServer.start(store, serverOptions.apply(ServerOptions.builder()).port(onPort).build());
  }
}

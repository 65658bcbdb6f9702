package io.chiplog.examples.support;

import java.net.URI;

/**
 * An example application: its HTTP server and what runs behind it (views, a workflow engine),
 * stopped in that order, so that requests in flight finish before what answers them stops.
 * Each example's {@code *App} extends it with its own {@code start} and {@code runUntilStopped}.
 */
public abstract class ExampleApp implements AutoCloseable {
  private final ExampleServer server;
  private final Runnable stopBehind;

  /** An application serving with {@code server}; {@code stopBehind} stops what runs behind it. */
  protected ExampleApp(ExampleServer server, Runnable stopBehind) {
    this.server = server;
    this.stopBehind = stopBehind;
  }

  /** The port it listens on (the chosen one when started with port 0). */
  public int port() {
    return server.port();
  }

  /** Its base address, e.g. {@code http://127.0.0.1:7274}. */
  public URI uri() {
    return server.uri();
  }

  /** Blocks until it has stopped. */
  public void awaitStop() throws InterruptedException {
    server.awaitStop();
  }

  /**
   * Stops gracefully: no new connections, requests in flight finish, then what runs behind the
   * server stops. Closing again does nothing.
   */
  @Override
  public void close() {
    try {
      server.close();
    } finally {
      stopBehind.run();
    }
  }
}

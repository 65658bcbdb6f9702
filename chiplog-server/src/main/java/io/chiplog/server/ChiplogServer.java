package io.chiplog.server;

import io.chiplog.api.EventStore;
import io.chiplog.server.internal.ApiHandler;
import io.chiplog.server.internal.JsonErrorHandler;
import io.chiplog.server.internal.ServerMetrics;
import io.chiplog.store.FileEventStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP API v1 over an {@link EventStore}, on Jetty with a virtual thread per request.
 *
 * <pre>{@code
 * try (var store = FileEventStore.open(Path.of("chiplog-data"));
 *     var server = ChiplogServer.start(store, ServerOptions.builder().port(7171).build())) {
 *   server.awaitStop();
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops gracefully: the server stops accepting connections and reports
 * itself not ready, ends every subscription with a final message, and waits up to the grace
 * period for requests in flight, so every append it acknowledged is durable. It does not close
 * the store: whoever opened the store closes it, after the server. Thread-safe.
 */
public final class ChiplogServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChiplogServer.class);

  private final Server jetty;
  private final ApiHandler api;
  private final ServerMetrics metrics;
  private final ServerConnector connector;
  private final ServerOptions options;

  private ChiplogServer(Server jetty, ApiHandler api, ServerMetrics metrics, ServerConnector connector,
      ServerOptions options) {
    this.jetty = jetty;
    this.api = api;
    this.metrics = metrics;
    this.connector = connector;
    this.options = options;
  }

  /**
   * Starts serving {@code store} and returns once the port is bound.
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static ChiplogServer start(EventStore store, ServerOptions options) {
    var threads = new QueuedThreadPool();
    threads.setName("chiplog-http");
    // Jetty runs blocking handlers (ours) on virtual threads; its selector stays on a platform one.
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    var jetty = new Server(threads);
    var http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    var connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost(options.host());
    connector.setPort(options.port());
    // A write blocked this long (a subscriber that stopped reading) fails and drops the client.
    connector.setIdleTimeout(options.stallTimeout().toMillis());
    jetty.addConnector(connector);
    var metrics =
        new ServerMetrics(
            store,
            store instanceof FileEventStore file ? file::logSizeBytes : () -> -1L);
    var api = new ApiHandler(store, options, metrics);
    jetty.setHandler(new GracefulHandler(api));
    // Jetty's own errors (a request while stopping, a malformed request line) as error JSON too.
    jetty.setErrorHandler(new JsonErrorHandler());
    jetty.setStopTimeout(options.shutdownGracePeriod().toMillis());
    try {
      jetty.start();
    } catch (Exception e) {
      try {
        jetty.stop();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException(
          new IOException(
              "cannot serve on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e));
    }
    var server = new ChiplogServer(jetty, api, metrics, connector, options);
    LOG.atInfo()
        .addKeyValue("host", options.host())
        .addKeyValue("port", server.port())
        .log("chiplog server listening");
    return server;
  }

  /** The port it listens on (the chosen one when started with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The base address of HTTP API v1, e.g. {@code http://127.0.0.1:7171}. */
  public URI uri() {
    String host = options.host().equals("0.0.0.0") ? "127.0.0.1" : options.host();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
  }

  /** The number of open subscriptions. */
  public int activeSubscribers() {
    return metrics.activeSubscribers();
  }

  /** Blocks until the server has stopped. */
  public void awaitStop() throws InterruptedException {
    jetty.join();
  }

  /** Stops gracefully (see the class comment). Closing again does nothing. */
  @Override
  public void close() {
    if (jetty.isStopped() || jetty.isStopping()) {
      return;
    }
    LOG.atInfo().addKeyValue("port", port()).log("chiplog server stopping");
    api.beginShutdown();
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.atWarn().setCause(e).log("chiplog server did not stop cleanly");
    }
    LOG.info("chiplog server stopped");
  }
}

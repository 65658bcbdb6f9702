package io.chiplog.examples.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An example's HTTP server: Jetty on 127.0.0.1, the handler on a virtual thread per request (the
 * pattern of {@code ChiplogServer}, kept small), behind a {@link GracefulHandler}. {@link #close}
 * stops gracefully: no new connections, requests in flight finish (up to 10 s). Thread-safe.
 */
public final class ExampleServer implements AutoCloseable {
  private static final String HOST = "127.0.0.1";
  private static final long STOP_TIMEOUT_MILLIS = 10_000;

  private final Server jetty;
  private final ServerConnector connector;

  private ExampleServer(Server jetty, ServerConnector connector) {
    this.jetty = jetty;
    this.connector = connector;
  }

  /**
   * Serves {@code handler} at 127.0.0.1:{@code port} (0: a free port) and returns once the port
   * is bound; {@code name} names its threads.
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static ExampleServer start(String name, Handler handler, int port) {
    var threads = new QueuedThreadPool();
    threads.setName(name + "-http");
    // Jetty runs the blocking handler on virtual threads; its selector stays on a platform one.
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    var jetty = new Server(threads);
    var http = new HttpConfiguration();
    http.setSendServerVersion(false);
    var connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost(HOST);
    connector.setPort(port);
    jetty.addConnector(connector);
    jetty.setHandler(new GracefulHandler(handler));
    jetty.setStopTimeout(STOP_TIMEOUT_MILLIS);
    try {
      jetty.start();
    } catch (Exception e) {
      try {
        jetty.stop();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException(new IOException("cannot serve on " + HOST + ":" + port + ": " + e.getMessage(), e));
    }
    return new ExampleServer(jetty, connector);
  }

  /** The port it listens on (the chosen one when started with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** Its base address, e.g. {@code http://127.0.0.1:7272}. */
  public URI uri() {
    return URI.create("http://" + HOST + ":" + port());
  }

  /** Blocks until it has stopped. */
  public void awaitStop() throws InterruptedException {
    jetty.join();
  }

  /** Stops gracefully; closing again does nothing. */
  @Override
  public void close() {
    if (jetty.isStopped() || jetty.isStopping()) {
      return;
    }
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException("the server did not stop cleanly", e);
    }
  }

  /**
   * Prints {@code banner} and blocks until the JVM is asked to stop (SIGTERM, Ctrl-C); then closes
   * {@code resources} in order (the app first, then the stores it used), each even if one before
   * it failed.
   */
  public static void runUntilStopped(String banner, List<? extends AutoCloseable> resources) throws InterruptedException {
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("example-shutdown").unstarted(() -> {
      try {
        closeAll(resources, 0);
      } finally {
        stopped.countDown();
      }
    }));
    System.out.println(banner + "  (Ctrl-C to stop)");
    System.out.flush();
    stopped.await();
  }

  private static void closeAll(List<? extends AutoCloseable> resources, int from) {
    if (from == resources.size()) {
      return;
    }
    try {
      resources.get(from).close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot close " + resources.get(from), e);
    } finally {
      closeAll(resources, from + 1);
    }
  }
}

package io.chiplog.examples.tickets;

import io.chiplog.api.EventStore;
import io.chiplog.examples.support.ExampleApp;
import io.chiplog.examples.support.ExampleServer;
import io.chiplog.store.FileEventStore;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The box office over HTTP, on Jetty with a virtual thread per request, with the engine of its
 * hold workflows running beside it. The endpoints are listed in the module's README.
 *
 * <pre>{@code
 * try (var store = FileEventStore.open(Path.of("tickets-data"));
 *     var app = TicketsApp.start(store, 7275, TicketsOptions.defaults())) {
 *   app.awaitStop();
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops gracefully: no new connections, requests in flight finish (up to 10
 * s), then the workflow engine stops; holds still open resume, timers included, at the next
 * start. It does not close the store: whoever opened it closes it, after the app. Thread-safe.
 */
public final class TicketsApp extends ExampleApp {
  /** The port it listens on unless told otherwise. */
  public static final int DEFAULT_PORT = 7275;

  /** The data directory unless told otherwise: the event store. */
  public static final String DEFAULT_DATA = "tickets-data";

  /** How long a hold lasts unless told otherwise, in seconds. */
  public static final int DEFAULT_HOLD_SECONDS = 60;

  private final Tickets tickets;

  private TicketsApp(ExampleServer server, Tickets tickets) {
    super(server, tickets::close);
    this.tickets = tickets;
  }

  /**
   * Starts the hold workflows over {@code store} (resuming the open ones), serves the box office
   * at 127.0.0.1:{@code port} (0: a free port) and returns once the port is bound.
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static TicketsApp start(EventStore store, int port, TicketsOptions options) {
    Tickets tickets = Tickets.start(store, options);
    try {
      return new TicketsApp(ExampleServer.start("tickets", new TicketsHandler(tickets), port), tickets);
    } catch (RuntimeException e) {
      tickets.close();
      throw e;
    }
  }

  /** The service behind the API, for tests. */
  Tickets tickets() {
    return tickets;
  }

  /**
   * Opens the event store in {@code data}, serves the box office on {@code port} with holds of
   * {@code holdFor}, and blocks until the JVM is asked to stop (SIGTERM, Ctrl-C); then stops the
   * server, requests in flight finishing, the workflows, and closes the store. What {@code
   * chiplog example tickets} runs.
   */
  public static void runUntilStopped(Path data, int port, Duration holdFor) throws InterruptedException {
    var store = FileEventStore.open(data);
    TicketsApp app;
    try {
      app = start(store, port, TicketsOptions.defaults().withHoldFor(holdFor));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    ExampleServer.runUntilStopped("The box office is serving " + data.toAbsolutePath().normalize() + " at " + app.uri()
        + " with holds of " + holdFor.toSeconds() + " s", List.of(app, store));
  }

  /**
   * {@code TicketsApp [--port 7275] [--data tickets-data] [--hold-seconds 60]}; {@code chiplog
   * example tickets} takes the same options.
   */
  public static void main(String[] args) throws InterruptedException {
    int port = DEFAULT_PORT;
    Path data = Path.of(DEFAULT_DATA);
    int holdSeconds = DEFAULT_HOLD_SECONDS;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(valueOf(args, ++i, "--port"));
        case "--data" -> data = Path.of(valueOf(args, ++i, "--data"));
        case "--hold-seconds" -> holdSeconds = Integer.parseInt(valueOf(args, ++i, "--hold-seconds"));
        default -> throw new IllegalArgumentException(
            "unknown option " + args[i] + "; use [--port N] [--data DIR] [--hold-seconds N]");
      }
    }
    runUntilStopped(data, port, holdFor(holdSeconds));
  }

  /**
   * Checks a hold length given in seconds.
   *
   * @throws IllegalArgumentException when it is not at least 1
   */
  public static Duration holdFor(int seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException("--hold-seconds must be at least 1, was " + seconds);
    }
    return Duration.ofSeconds(seconds);
  }

  private static String valueOf(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }
}

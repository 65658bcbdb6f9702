package io.chiplog.examples.library;

import io.chiplog.api.EventStore;
import io.chiplog.examples.support.ExampleApp;
import io.chiplog.examples.support.ExampleServer;
import io.chiplog.model.ModelOptions;
import io.chiplog.store.FileEventStore;
import io.chiplog.views.EmbeddedViewStore;
import io.chiplog.views.InMemoryViewStore;
import io.chiplog.views.ViewStore;
import io.chiplog.views.Views;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The library catalogue over HTTP, on Jetty with a virtual thread per request (the pattern of
 * {@code ChiplogServer}, kept small). The endpoints are listed in the module's README.
 *
 * <pre>{@code
 * try (var store = FileEventStore.open(Path.of("library-data"));
 *     var app = LibraryApp.start(store, 7272)) {
 *   app.awaitStop();
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops gracefully: no new connections, requests in flight finish (up to 10
 * s). It does not close the store: whoever opened it closes it, after the app. Thread-safe.
 */
public final class LibraryApp extends ExampleApp {
  /** The port the library listens on unless told otherwise. */
  public static final int DEFAULT_PORT = 7272;

  /** The store directory unless told otherwise. */
  public static final String DEFAULT_DATA = "library-data";

  private final Views views;

  private LibraryApp(ExampleServer server, Views views) {
    super(server, views::close);
    this.views = views;
  }

  /**
   * Serves the library on {@code store} at 127.0.0.1:{@code port} (0: a free port), without the
   * queue, with its views in memory (rebuilt from the log at each start).
   */
  public static LibraryApp start(EventStore store, int port) {
    return start(store, new InMemoryViewStore(), port, modelOptions(false));
  }

  /**
   * The library's model options: the keyed queue on or off, and up to 100 attempts per command.
   * Many clients adding books to one category at once all race for the next number; without
   * the queue each attempt has one winner, so ten attempts (the model's default) would turn away
   * some of them, where a few more milliseconds of retrying serve them all.
   */
  public static ModelOptions modelOptions(boolean queueByKey) {
    return ModelOptions.builder().queueByKey(queueByKey).attemptsMax(100).build();
  }

  /**
   * Serves the library on {@code store} at 127.0.0.1:{@code port} (0: a free port) and returns
   * once the port is bound; its views live in {@code viewStore}, and {@code options} say how
   * commands run (the keyed queue, retries, where metrics go). Closing the app stops its views;
   * both stores stay open for whoever opened them.
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static LibraryApp start(EventStore store, ViewStore viewStore, int port, ModelOptions options) {
    Views views = Views.builder(store, viewStore).meterRegistry(options.meters()).add(Shelves.VIEW).start();
    try {
      var handler = new LibraryHandler(new Library(store, options, views.reader(Shelves.VIEW)), views);
      return new LibraryApp(ExampleServer.start("library", handler, port), views);
    } catch (RuntimeException e) {
      views.close();
      throw e;
    }
  }

  /**
   * Opens the store in {@code data} and the view store in {@code data/views/views.db}, serves the
   * library on {@code port} and blocks until the JVM is asked to stop (SIGTERM, Ctrl-C); then
   * stops the server, requests in flight finishing, and closes the stores. What {@code chiplog
   * example library} runs.
   */
  public static void runUntilStopped(Path data, int port, ModelOptions options) throws InterruptedException {
    var store = FileEventStore.open(data);
    EmbeddedViewStore viewStore = null;
    LibraryApp app;
    try {
      viewStore = EmbeddedViewStore.open(data.resolve("views").resolve("views.db"));
      app = start(store, viewStore, port, options);
    } catch (RuntimeException e) {
      if (viewStore != null) {
        viewStore.close();
      }
      store.close();
      throw e;
    }
    ExampleServer.runUntilStopped("The library is serving " + data.toAbsolutePath().normalize() + " at " + app.uri()
        + (options.queueByKey() ? " (commands queued by key)" : ""), List.of(app, viewStore, store));
  }

  /**
   * {@code LibraryApp [--port 7272] [--data library-data] [--queue-by-key]}; {@code chiplog
   * example library} takes the same options.
   */
  public static void main(String[] args) throws InterruptedException {
    int port = DEFAULT_PORT;
    Path data = Path.of(DEFAULT_DATA);
    boolean queueByKey = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(valueOf(args, ++i, "--port"));
        case "--data" -> data = Path.of(valueOf(args, ++i, "--data"));
        case "--queue-by-key" -> queueByKey = true;
        default -> throw new IllegalArgumentException(
            "unknown option " + args[i] + "; use [--port N] [--data DIR] [--queue-by-key]");
      }
    }
    runUntilStopped(data, port, modelOptions(queueByKey));
  }

  private static String valueOf(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }
}

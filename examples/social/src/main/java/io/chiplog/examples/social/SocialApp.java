package io.chiplog.examples.social;

import io.chiplog.api.EventStore;
import io.chiplog.examples.support.ExampleApp;
import io.chiplog.examples.support.ExampleServer;
import io.chiplog.model.ModelOptions;
import io.chiplog.store.FileEventStore;
import io.chiplog.views.EmbeddedViewStore;
import io.chiplog.views.ViewOptions;
import io.chiplog.views.ViewStore;
import io.chiplog.views.Views;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The social graph over HTTP, on Jetty with a virtual thread per request (the pattern of {@code
 * ChiplogServer}, kept small), with its two views running beside it. The endpoints are listed in
 * the module's README.
 *
 * <pre>{@code
 * try (var store = FileEventStore.open(Path.of("social-data"));
 *     var views = EmbeddedViewStore.open(Path.of("social-data", "views.db"));
 *     var app = SocialApp.start(store, views, 7273, ViewOptions.defaults())) {
 *   app.awaitStop();
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops gracefully: no new connections, requests in flight finish (up to 10
 * s), then the views stop. It closes neither store: whoever opened them closes them, after the
 * app. Thread-safe.
 */
public final class SocialApp extends ExampleApp {
  /** The port it listens on unless told otherwise. */
  public static final int DEFAULT_PORT = 7273;

  /** The data directory unless told otherwise: the event store, and the views in {@code views.db}. */
  public static final String DEFAULT_DATA = "social-data";

  /** The view store's file in the data directory. */
  public static final String VIEWS_FILE = "views.db";

  private final Views views;

  private SocialApp(ExampleServer server, Views views) {
    super(server, views::close);
    this.views = views;
  }

  /**
   * Starts the views over {@code store} in {@code viewStore}, serves the graph at
   * 127.0.0.1:{@code port} (0: a free port) and returns once the port is bound. {@code
   * viewOptions} say, among other things, how long a read waits for its {@code minPosition}.
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static SocialApp start(EventStore store, ViewStore viewStore, int port, ViewOptions viewOptions) {
    Views views = Views.builder(store, viewStore)
        .options(viewOptions)
        .add(FriendsView.VIEW)
        .add(FriendsOfFriendsView.VIEW)
        .start();
    try {
      var social = new Social(store, views, ModelOptions.defaults());
      return new SocialApp(ExampleServer.start("social", new SocialHandler(social), port), views);
    } catch (RuntimeException e) {
      views.close();
      throw e;
    }
  }

  /**
   * Opens the event store in {@code data} and the view store in {@code data/views.db}, serves the
   * graph on {@code port} and blocks until the JVM is asked to stop (SIGTERM, Ctrl-C); then stops
   * the server, requests in flight finishing, the views, and closes both stores. What {@code
   * chiplog example social} runs.
   */
  public static void runUntilStopped(Path data, int port) throws InterruptedException {
    var store = FileEventStore.open(data);
    EmbeddedViewStore viewStore = null;
    SocialApp app;
    try {
      viewStore = EmbeddedViewStore.open(data.resolve(VIEWS_FILE));
      app = start(store, viewStore, port, ViewOptions.defaults());
    } catch (RuntimeException e) {
      if (viewStore != null) {
        viewStore.close();
      }
      store.close();
      throw e;
    }
    ExampleServer.runUntilStopped("The social graph is serving " + data.toAbsolutePath().normalize() + " at " + app.uri(),
        List.of(app, viewStore, store));
  }

  /** {@code SocialApp [--port 7273] [--data social-data]}; {@code chiplog example social} takes the same options. */
  public static void main(String[] args) throws InterruptedException {
    int port = DEFAULT_PORT;
    Path data = Path.of(DEFAULT_DATA);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(valueOf(args, ++i, "--port"));
        case "--data" -> data = Path.of(valueOf(args, ++i, "--data"));
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use [--port N] [--data DIR]");
      }
    }
    runUntilStopped(data, port);
  }

  private static String valueOf(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }
}

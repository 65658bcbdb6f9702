package io.chiplog.views;

import io.chiplog.api.EventStore;
import io.chiplog.views.internal.KeyValueTarget;
import io.chiplog.views.internal.ProjectionRunner;
import io.chiplog.views.internal.RunnerListener;
import io.chiplog.views.internal.TableTarget;
import io.chiplog.views.internal.ViewTarget;
import io.chiplog.views.jdbc.JdbcViewStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Runs views over an {@link EventStore}, each at its own pace on its own thread, keeping them in
 * a {@link ViewStore}.
 *
 * <pre>{@code
 * try (var views = Views.builder(events, EmbeddedViewStore.open(dir.resolve("views.db")))
 *     .add(booksByCategory)
 *     .start()) {
 *   ViewReader<Shelf> shelves = views.reader(booksByCategory);
 *   Shelf fiction = shelves.get("fiction", appended.lastPosition());   // read your own write
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Each batch's changes and the new checkpoint are committed in one transaction of the view
 *       store, so after a crash each view resumes where its data ends: no event applied twice,
 *       none lost.
 *   <li>A view whose code has a new version is built from position 1 beside the live version
 *       (readers keep reading the live one), then switched over when it has caught up; the old
 *       one is dropped. {@link #rebuild} does the same on demand.
 *   <li>An event whose fold keeps failing stops its view there, FAILED (see {@link
 *       ViewStatus#failure()}); {@link #resume} tries again. Nothing is skipped.
 * </ul>
 *
 * <p>Closing stops the runners; it closes neither the event store nor the view store.
 * Thread-safe.
 */
public final class Views implements AutoCloseable {
  private final EventStore events;
  private final ViewStore store;
  private final ViewOptions options;
  private final Map<String, LiveView> views;
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();

  private Views(Builder builder) {
    this.events = builder.events;
    this.store = builder.store;
    this.options = builder.options;
    var byName = new LinkedHashMap<String, LiveView>();
    for (View<?> view : builder.views) {
      byName.put(view.name(), new LiveView(events, options, view, this::target, store.liveSpace(view.name())));
    }
    this.views = byName;
    this.registry = builder.registry;
    registerMeters();
  }

  /** Starts configuring views over {@code events}, kept in {@code store}. */
  public static Builder builder(EventStore events, ViewStore store) {
    return new Builder(events, store);
  }

  private ViewTarget target(View<?> view, String space) {
    return switch (view) {
      case KeyValueView<?, ?> keyValue -> new KeyValueTarget<>(keyValue, store, space, options.cachedValuesMax());
      case TableView<?> table -> {
        if (!(store instanceof JdbcViewStore jdbc)) {
          throw new IllegalArgumentException("the table view " + view.name() + " needs a JdbcViewStore, not " + store.getClass().getSimpleName());
        }
        yield new TableTarget<>(table, jdbc, space);
      }
    };
  }

  private void start() {
    views.values().forEach(LiveView::start);
  }

  /**
   * A reader of the key-value view {@code view}.
   *
   * @throws IllegalArgumentException when no view of that name was added
   */
  public <V> ViewReader<V> reader(KeyValueView<?, V> view) {
    LiveView live = live(view.name());
    return new ViewReader<>(new ViewReader.Source<V>() {
      @Override
      public String name() {
        return live.name();
      }

      @Override
      public @Nullable V read(String key) {
        return live.read(key);
      }

      @Override
      public long position() {
        return live.position();
      }

      @Override
      public void await(long minPosition, Duration wait) {
        live.await(minPosition, wait);
      }
    }, options.readWait());
  }

  /**
   * Waits until the view {@code view} has applied {@code minPosition}: before a query of a table
   * view, for example.
   *
   * @throws ViewNotCaughtUpException when it had not in {@code wait}
   */
  public void awaitPosition(String view, long minPosition, Duration wait) {
    live(view).await(minPosition, wait);
  }

  /** The last position the live version of {@code view} has applied. */
  public long position(String view) {
    return live(view).position();
  }

  /** The status of {@code view}. */
  public ViewStatus status(String view) {
    return live(view).status();
  }

  /** The status of every view, in the order they were added. */
  public List<ViewStatus> statuses() {
    var statuses = new ArrayList<ViewStatus>(views.size());
    views.values().forEach(live -> statuses.add(live.status()));
    return statuses;
  }

  /**
   * Builds {@code view} (a new version of a view added before, or the same one afresh) from
   * position 1 beside its live version; readers keep reading the live one until the new one has
   * caught up, then it becomes live and the old one is dropped. Progress shows in {@link
   * #status}.
   *
   * @return completes with the status after the switch, or with a {@link ViewFailedException}
   * @throws IllegalStateException when the view is being rebuilt already
   */
  public CompletableFuture<ViewStatus> rebuild(View<?> view) {
    LiveView live = live(view.name());
    return live.rebuild(view);
  }

  /**
   * The switch-over of {@code view} to the version being built beside its live one (after a
   * {@link #rebuild}, or a new version found at start): completes with the status after the
   * switch, or with a {@link ViewFailedException}; already complete when nothing is being built.
   */
  public CompletableFuture<ViewStatus> switchOver(String view) {
    return live(view).switchOver();
  }

  /**
   * Resumes {@code view} after it FAILED (live or rebuilding): the failing event is tried again
   * from the checkpoint, with the code this process runs.
   *
   * @return false when nothing had failed
   */
  public boolean resume(String view) {
    return live(view).resume();
  }

  private LiveView live(String name) {
    LiveView live = views.get(name);
    if (live == null) {
      throw new IllegalArgumentException("no view named '" + name + "'; there are " + views.keySet());
    }
    return live;
  }

  /**
   * Builds {@code view} from the events up to {@code position} into {@code into} (time travel, or
   * what-if with new code) and returns a reader of the result; blocks until built.
   *
   * @throws ViewFailedException when an event's fold kept failing
   */
  public static <V> ViewReader<V> buildAt(EventStore events, KeyValueView<?, V> view, long position, ViewStore into,
      ViewOptions options) throws InterruptedException {
    var target = new KeyValueTarget<>(view, into, Spaces.at(view, position), options.cachedValuesMax());
    var runner = buildUpTo(events, view, target, position, options);
    return new ViewReader<>(new ViewReader.Source<V>() {
      @Override
      public String name() {
        return view.name();
      }

      @Override
      public @Nullable V read(String key) {
        return target.read(key);
      }

      @Override
      public long position() {
        return runner.position();
      }

      @Override
      public void await(long minPosition, Duration wait) {
        if (minPosition > runner.position()) {
          throw new ViewNotCaughtUpException(view.name(), minPosition, runner.position(), Duration.ZERO);
        }
      }
    }, Duration.ZERO);
  }

  /**
   * Builds the table view {@code view} from the events up to {@code position} into tables of
   * {@code into} and returns their names; blocks until built. Drop them with {@link
   * JdbcViewStore#dropTables} when done.
   *
   * @throws ViewFailedException when an event's fold kept failing
   */
  public static Tables buildAt(EventStore events, TableView<?> view, long position, JdbcViewStore into, ViewOptions options)
      throws InterruptedException {
    var target = new TableTarget<>(view, into, Spaces.at(view, position));
    buildUpTo(events, view, target, position, options);
    return target.tables();
  }

  private static ProjectionRunner buildUpTo(EventStore events, View<?> view, ViewTarget target, long position, ViewOptions options)
      throws InterruptedException {
    long head = events.head();
    if (position < 0 || position > head) {
      throw new IllegalArgumentException("position " + position + " is not in the log, whose head is " + head);
    }
    var runner = new ProjectionRunner(events, view.query(), target, options, position, ViewState.REBUILDING, RunnerListener.NONE);
    runner.start();
    runner.join();
    ViewFailure failure = runner.failure();
    if (failure != null) {
      throw new ViewFailedException(target.space(), failure);
    }
    return runner;
  }

  private void registerMeters() {
    for (LiveView live : views.values()) {
      String name = live.name();
      meters.add(Gauge.builder("chiplog.view.position", live, LiveView::position).tag("view", name)
          .description("the last position the live version has applied").register(registry));
      meters.add(Gauge.builder("chiplog.view.lag", live, l -> Math.max(0, events.head() - l.position())).tag("view", name)
          .description("events in the log the view has not applied yet").register(registry));
      meters.add(Gauge.builder("chiplog.view.failed", live, l -> l.status().state() == ViewState.FAILED ? 1 : 0).tag("view", name)
          .description("1 when the view stopped at a failing event").register(registry));
      meters.add(Gauge.builder("chiplog.view.rebuild.progress", live, l -> {
        ViewStatus.Rebuild rebuild = l.status().rebuild();
        return rebuild == null ? 1 : rebuild.progress();
      }).tag("view", name).description("progress of a version built beside the live one, 1 when none").register(registry));
      meters.add(FunctionCounter.builder("chiplog.view.events", live, LiveView::applied).tag("view", name)
          .description("events applied to the view").register(registry));
    }
  }

  /** Stops every runner (a batch being committed finishes) and removes its meters. Closing again does nothing. */
  @Override
  public void close() {
    views.values().forEach(LiveView::close);
    meters.forEach(registry::remove);
    meters.clear();
  }

  /** Configures {@link Views}. */
  public static final class Builder {
    private final EventStore events;
    private final ViewStore store;
    private final List<View<?>> views = new ArrayList<>();
    private ViewOptions options = ViewOptions.defaults();
    private MeterRegistry registry = Metrics.globalRegistry;

    private Builder(EventStore events, ViewStore store) {
      this.events = Objects.requireNonNull(events, "events");
      this.store = Objects.requireNonNull(store, "store");
    }

    /** Adds a view; names are unique. */
    public Builder add(View<?> view) {
      for (View<?> added : views) {
        if (added.name().equals(view.name())) {
          throw new IllegalArgumentException("two views are named " + view.name());
        }
      }
      views.add(view);
      return this;
    }

    /** How the views run. */
    public Builder options(ViewOptions value) {
      options = Objects.requireNonNull(value, "options");
      return this;
    }

    /** Where the meters go (the global registry unless told). */
    public Builder meterRegistry(MeterRegistry value) {
      registry = Objects.requireNonNull(value, "registry");
      return this;
    }

    /**
     * Starts the views: each resumes from its checkpoint, and a view whose code changed version
     * starts building beside its live version.
     */
    public Views start() {
      var started = new Views(this);
      started.start();
      return started;
    }
  }
}

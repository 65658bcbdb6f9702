package io.chiplog.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.EventData;
import io.chiplog.model.EventTypes;
import io.chiplog.model.Tagged;
import io.chiplog.store.Durability;
import io.chiplog.store.FileEventStore;
import io.chiplog.store.StoreOptions;
import io.chiplog.views.EmbeddedViewStore;
import io.chiplog.views.InMemoryViewStore;
import io.chiplog.views.KeyValueView;
import io.chiplog.views.ViewOptions;
import io.chiplog.views.ViewReader;
import io.chiplog.views.ViewStatus;
import io.chiplog.views.ViewStore;
import io.chiplog.views.Views;
import io.chiplog.views.jdbc.JdbcViewStore;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * The load generator for views ({@code chiplog-views}, issue 7): a key–value view that counts
 * and sums per key ({@link Tally}) over a {@link FileEventStore} prefilled with {@code --events}
 * {@link Added} events spread uniformly over {@code --keys} keys, kept in the view store
 * {@code --store} ({@code embedded}: {@link EmbeddedViewStore}; {@code postgres}: {@link
 * JdbcViewStore} on a HikariCP pool; {@code memory}: {@link InMemoryViewStore}, the baseline
 * without a store's cost). One run is one JVM and a fresh view store; it prints a {@code RESULT}
 * line per phase, in this order:
 *
 * <ol>
 *   <li>{@code warmup}: a point-in-time build of the first {@code --warmup-events} into a scratch
 *       space ({@code Views.buildAt}), so the JIT has compiled the path before it is measured;
 *   <li>{@code project}: {@code Views.builder(...).add(view).start()} from position 0 until the
 *       live view has applied the head: events/s;
 *   <li>{@code read}: {@code --readers} threads call {@code ViewReader.get} on random keys of the
 *       live, caught-up view for {@code --read-seconds}: latency percentiles;
 *   <li>{@code rebuild}: {@code views.rebuild(v2)} until it switched over: seconds;
 *   <li>{@code read-during-rebuild}: the readers again, while {@code views.rebuild(v3)} projects
 *       the whole log at full speed beside the live version (started after the readers' warm-up;
 *       the measured reads end when it switches); then {@code rebuild-while-reading}, its time;
 *   <li>{@code read-during-appends}: the readers again, while one thread appends
 *       {@code --append-rate} events/s in 100-event batches and the live view follows them.
 *       This appends to the event store: give it a copy.
 * </ol>
 *
 * <pre>
 * java -cp benchmarks.jar io.chiplog.bench.ViewLoad prefill --dir PATH [--events 1000000] [--keys 10000]
 * java -cp benchmarks.jar io.chiplog.bench.ViewLoad run --dir PATH --store embedded|postgres|memory
 *   --phases LIST        comma-separated, of the above (default: all six; warmup always runs first)
 *   --views-dir PATH     where the embedded view store's file goes (default: a temporary directory)
 *   --jdbc-url URL       for postgres (default: 127.0.0.1:5432/test, user postgres, batched inserts)
 *   --pool-size N        HikariCP connections (default 4)
 *   --batch-size N       ViewOptions.batchSizeMax (default: that of ViewOptions.defaults())
 *   --cache N            ViewOptions.cachedValuesMax (default: that of ViewOptions.defaults())
 *   --warmup-events N    (default 200000)
 *   --readers N          reader threads (default 1)
 *   --read-rate N        gets/s of all readers together (default 0: each reader as fast as it can)
 *   --read-seconds S     measured reads per read phase (default 10), after --read-warmup S (default 2)
 *   --append-rate N      events/s appended during read-during-appends (default 20000)
 * </pre>
 */
public final class ViewLoad {
  private static final long HIGHEST_NANOS = Duration.ofMinutes(1).toNanos();
  private static final String DEFAULT_JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&reWriteBatchedInserts=true";
  private static final String NOTE = "n".repeat(80);
  private static final Duration CATCH_UP_WAIT = Duration.ofMinutes(30);
  private static final int APPEND_BATCH = 100;

  /** The events of the benchmark's model. */
  public sealed interface TallyEvent permits Added {}

  /** {@code amount} was added to {@code key}; about 130 bytes of JSON with its note. */
  public record Added(String key, long amount, String note) implements TallyEvent, Tagged {
    @Override
    public Set<String> tags() {
      return Set.of("key:" + key);
    }
  }

  /** A key's tally: how many additions, their sum, and the position of the last one. */
  public record Tally(long count, long sum, long lastPosition) {
    static final Tally ZERO = new Tally(0, 0, 0);
  }

  static final EventTypes<TallyEvent> TYPES = EventTypes.of(TallyEvent.class).add("Added", Added.class).build();

  /** The tally view named {@code name}, version {@code version}. */
  static KeyValueView<TallyEvent, Tally> view(String name, int version) {
    return KeyValueView.builder(name, TYPES, Tally.class)
        .version(version)
        .apply((event, changes) -> {
          Added added = (Added) event.event();
          Tally current = changes.get(added.key());
          Tally tally = current == null ? Tally.ZERO : current;
          changes.put(added.key(), new Tally(tally.count() + 1, tally.sum() + added.amount(), event.position()));
        })
        .build();
  }

  static String key(int k) {
    return "k" + k;
  }

  private final Map<String, String> flags;
  private final int keys;

  private ViewLoad(Map<String, String> flags) {
    this.flags = flags;
    this.keys = intFlag("keys", 10_000);
  }

  /** {@code prefill|run [--flag value]...}; see the class comment. */
  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].startsWith("-")) {
      System.err.println("usage: ViewLoad prefill|run --dir PATH [--store embedded|postgres|memory] [--flag value]...");
      System.exit(2);
    }
    var flags = new HashMap<String, String>();
    for (int i = 1; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --flag value at " + args[i]);
      }
      flags.put(args[i].substring(2), args[i + 1]);
    }
    var load = new ViewLoad(flags);
    switch (args[0]) {
      case "prefill" -> load.prefill();
      case "run" -> load.run();
      default -> throw new IllegalArgumentException("unknown mode " + args[0] + "; prefill or run");
    }
  }

  private int intFlag(String name, int otherwise) {
    return Integer.parseInt(flags.getOrDefault(name, Integer.toString(otherwise)).replace("_", ""));
  }

  private Path directory() {
    String dir = flags.get("dir");
    if (dir == null) {
      throw new IllegalArgumentException("--dir PATH is required");
    }
    return Path.of(dir);
  }

  private static FileEventStore openEvents(Path directory) {
    return FileEventStore.open(StoreOptions.builder(directory).durability(Durability.NO_FSYNC).build());
  }

  /** Appends {@code --events} events over {@code --keys} keys to an empty store, 64 appends of 1,000 in flight. */
  private void prefill() {
    long events = intFlag("events", 1_000_000);
    long started = System.nanoTime();
    try (FileEventStore store = openEvents(directory())) {
      if (store.head() != 0) {
        throw new IllegalStateException("the store in " + directory() + " is not empty: head " + store.head());
      }
      var random = new SplittableRandom(42);
      var pending = new ArrayDeque<CompletableFuture<AppendResult>>();
      for (long n = 0; n < events; n += 1_000) {
        pending.add(store.appendAsync(AppendRequest.of(events(random, (int) Math.min(1_000, events - n)))));
        if (pending.size() >= 64) {
          pending.poll().join();
        }
      }
      pending.forEach(CompletableFuture::join);
      System.out.printf(Locale.ROOT, "prefilled %,d events over %,d keys in %.1f s%n", store.head(), keys,
          (System.nanoTime() - started) / 1e9);
    }
  }

  private List<EventData> events(SplittableRandom random, int count) {
    var batch = new ArrayList<EventData>(count);
    for (int i = 0; i < count; i++) {
      batch.add(TYPES.encode(new Added(key(random.nextInt(keys)), 1 + random.nextInt(100), NOTE), Fixtures.id(random)));
    }
    return batch;
  }

  private void run() throws Exception {
    String kind = flags.getOrDefault("store", "embedded");
    List<String> phases = List.of(flags.getOrDefault("phases",
        "project,read,rebuild,read-during-rebuild,read-during-appends").split(","));
    if (!phases.contains("project")) {
      throw new IllegalArgumentException("--phases must include project: the other phases read or rebuild its view");
    }
    ViewOptions defaults = ViewOptions.defaults();
    ViewOptions options = defaults.withBatchSizeMax(intFlag("batch-size", defaults.batchSizeMax()))
        .withCachedValuesMax(intFlag("cache", defaults.cachedValuesMax()));
    // A name of its own per run: a shared database keeps nothing of another run.
    String name = "vl_" + Long.toString(System.currentTimeMillis(), 36);
    Path viewsDir = flags.containsKey("views-dir") ? Path.of(flags.get("views-dir")) : Fixtures.tempDirectory("chiplog-views");
    try (FileEventStore events = openEvents(directory()); var backend = Backend.open(kind, flags, viewsDir)) {
      String details = String.format(Locale.ROOT, "store=%s keys=%d batch_size_max=%d readers=%d read_rate=%d", kind, keys,
          options.batchSizeMax(), intFlag("readers", 1), intFlag("read-rate", 0));
      warmUp(events, backend, options, details);
      long head = events.head();
      Meter meter = Meter.start();
      try (Views views = Views.builder(events, backend.store()).options(options).add(view(name, 1)).start()) {
        views.awaitPosition(name, head, CATCH_UP_WAIT);
        report("project", meter.stop(head), details);
        var reader = views.reader(view(name, 1));
        checkCounts(reader, head);
        for (String phase : phases) {
          switch (phase) {
            case "project" -> { }
            case "read" -> readPhase("read", reader, () -> { }, () -> true, details);
            case "rebuild" -> {
              Meter rebuild = Meter.start();
              ViewStatus switched = views.rebuild(view(name, 2)).get(CATCH_UP_WAIT.toSeconds(), TimeUnit.SECONDS);
              report("rebuild", rebuild.stop(switched.position()), details + " space=" + switched.space());
              checkCounts(reader, switched.position());
            }
            case "read-during-rebuild" -> {
              // The readers warm up first; the rebuild starts when their measured phase does.
              var rebuild = new AtomicReference<Meter>();
              var switched = new AtomicReference<CompletableFuture<ViewStatus>>();
              readPhase("read-during-rebuild", reader, () -> {
                rebuild.set(Meter.start());
                switched.set(views.rebuild(view(name, 3)));
              }, () -> switched.get() == null || !switched.get().isDone(), details);
              ViewStatus status = switched.get().get(CATCH_UP_WAIT.toSeconds(), TimeUnit.SECONDS);
              report("rebuild-while-reading", rebuild.get().stop(status.position()), details);
            }
            case "read-during-appends" -> readDuringAppends(events, views, name, reader, details);
            default -> throw new IllegalArgumentException("unknown phase " + phase);
          }
        }
        backend.drop(views.status(name).space());
        backend.forget(name);
      }
    } finally {
      if (!flags.containsKey("views-dir")) {
        Fixtures.delete(viewsDir);
      }
    }
  }

  /** Checks that the view counted every event once: the counts of all keys add up to {@code events}. */
  private void checkCounts(ViewReader<Tally> reader, long events) {
    long counted = 0;
    for (int k = 0; k < keys; k++) {
      Tally tally = reader.get(key(k));
      counted += tally == null ? 0 : tally.count();
    }
    if (counted != events) {
      throw new IllegalStateException("the view counted " + counted + " events, the log has " + events);
    }
  }

  /** Builds the first {@code --warmup-events} into a scratch space of the same kind of store, then drops it. */
  private void warmUp(FileEventStore events, Backend backend, ViewOptions options, String details)
      throws InterruptedException {
    long upTo = Math.min(events.head(), intFlag("warmup-events", 200_000));
    if (upTo == 0) {
      return;
    }
    String name = "vl_warmup_" + Long.toString(System.nanoTime() & 0xFFFFFF, 36);
    Meter meter = Meter.start();
    ViewReader<Tally> built = Views.buildAt(events, view(name, 1), upTo, backend.store(), options);
    report("warmup", meter.stop(upTo), details);
    if (built.get(key(0)) == null) {
      throw new IllegalStateException("the warm-up build has no value for " + key(0));
    }
    backend.drop(name + "_v1_at" + upTo); // Views.buildAt's space
  }

  /**
   * Reads random keys on {@code --readers} threads, each in a closed loop or paced to its share of
   * {@code --read-rate}: a warm-up, then ({@code measuring} runs) until {@code --read-seconds} or
   * {@code more} says stop.
   * The latency is that of the call, not from a scheduled start.
   */
  private void readPhase(String phase, ViewReader<Tally> reader, Runnable measuring, BooleanSupplier more, String details)
      throws InterruptedException {
    int readers = intFlag("readers", 1);
    long warmupNanos = (long) (Double.parseDouble(flags.getOrDefault("read-warmup", "2")) * 1e9);
    long measureNanos = (long) (Double.parseDouble(flags.getOrDefault("read-seconds", "10")) * 1e9);
    int rate = intFlag("read-rate", 0);
    long nanosPerGet = rate == 0 ? 0 : 1_000_000_000L * readers / rate;
    var histograms = new ArrayList<Histogram>();
    var threads = new ArrayList<Thread>();
    var missing = new AtomicBoolean();
    long start = System.nanoTime();
    long measureFrom = start + warmupNanos;
    long end = measureFrom + measureNanos;
    for (int t = 0; t < readers; t++) {
      var histogram = new Histogram(HIGHEST_NANOS, 3);
      histograms.add(histogram);
      var random = new SplittableRandom(100 + t);
      threads.add(Thread.ofPlatform().name("reader-" + t).start(() -> {
        for (long n = 0; ; n++) {
          String key = key(random.nextInt(keys));
          if (nanosPerGet > 0) {
            LockSupport.parkNanos(start + n * nanosPerGet - System.nanoTime());
          }
          long before = System.nanoTime();
          if (before >= end || (before >= measureFrom && !more.getAsBoolean())) {
            return;
          }
          Tally tally = reader.get(key);
          long after = System.nanoTime();
          if (tally == null) {
            missing.set(true);
          }
          if (before >= measureFrom) {
            histogram.recordValue(Math.min(after - before, HIGHEST_NANOS));
          }
        }
      }));
    }
    Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
    Meter meter = Meter.start();
    measuring.run();
    for (Thread thread : threads) {
      thread.join();
    }
    var merged = new Histogram(HIGHEST_NANOS, 3);
    histograms.forEach(merged::add);
    Measured measured = meter.stop(merged.getTotalCount());
    if (missing.get()) {
      throw new IllegalStateException("a read found no value for a key that every run fills");
    }
    System.out.printf(Locale.ROOT,
        "RESULT phase=%s gets=%d seconds=%.1f gets_per_s=%.0f p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.0f"
            + " gc_pauses=%d gc_ms=%d %s%n",
        phase, merged.getTotalCount(), measured.seconds(), merged.getTotalCount() / measured.seconds(),
        merged.getValueAtPercentile(50) / 1e3, merged.getValueAtPercentile(99) / 1e3,
        merged.getValueAtPercentile(99.9) / 1e3, merged.getMaxValue() / 1e3, measured.gcCount(), measured.gcMillis(), details);
  }

  /** Readers while one thread appends at {@code --append-rate} and the live view follows. */
  private void readDuringAppends(FileEventStore events, Views views, String name, ViewReader<Tally> reader, String details)
      throws InterruptedException {
    int rate = intFlag("append-rate", 20_000);
    var stop = new AtomicBoolean();
    long[] appended = {0};
    long[] lagMax = {0};
    Thread appender = Thread.ofPlatform().name("appender").start(() -> {
      var random = new SplittableRandom(7);
      long started = System.nanoTime();
      long nanosPerBatch = 1_000_000_000L * APPEND_BATCH / rate;
      for (long n = 0; !stop.get(); n++) {
        long due = started + n * nanosPerBatch;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        events.append(AppendRequest.of(events(random, APPEND_BATCH)));
        appended[0] += APPEND_BATCH;
        lagMax[0] = Math.max(lagMax[0], events.head() - views.position(name));
      }
    });
    try {
      readPhase("read-during-appends", reader, () -> { }, () -> true, details + " append_rate=" + rate);
    } finally {
      stop.set(true);
      appender.join();
    }
    long head = events.head();
    Meter meter = Meter.start();
    views.awaitPosition(name, head, CATCH_UP_WAIT);
    System.out.printf(Locale.ROOT, "RESULT phase=appends appended=%d lag_max_events=%d catch_up_ms=%.0f %s%n",
        appended[0], lagMax[0], meter.stop(0).seconds() * 1e3, details);
  }

  private static void report(String phase, Measured measured, String details) {
    System.out.printf(Locale.ROOT,
        "RESULT phase=%s events=%d seconds=%.2f events_per_s=%.0f cpu_us_per_event=%.2f gc_pauses=%d gc_ms=%d %s%n",
        phase, measured.count(), measured.seconds(), measured.count() / measured.seconds(),
        measured.cpuSeconds() * 1e6 / Math.max(1, measured.count()), measured.gcCount(), measured.gcMillis(), details);
  }

  record Measured(long count, double seconds, double cpuSeconds, long gcCount, long gcMillis) {}

  /** Wall time, process CPU and GC of a phase. */
  private record Meter(long startNanos, long startCpuNanos, long startGcCount, long startGcMillis) {
    static Meter start() {
      return new Meter(System.nanoTime(), cpuNanos(), gcCount(), gcMillis());
    }

    Measured stop(long count) {
      return new Measured(count, (System.nanoTime() - startNanos) / 1e9, (cpuNanos() - startCpuNanos) / 1e9,
          gcCount() - startGcCount, gcMillis() - startGcMillis);
    }

    private static long cpuNanos() {
      return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long gcCount() {
      long sum = 0;
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        sum += Math.max(0, gc.getCollectionCount());
      }
      return sum;
    }

    private static long gcMillis() {
      long sum = 0;
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        sum += Math.max(0, gc.getCollectionTime());
      }
      return sum;
    }
  }

  /** The view store under test and how to clean up after it. */
  private interface Backend extends AutoCloseable {
    ViewStore store();

    /** Drops {@code space}. */
    default void drop(String space) {
      store().drop(space);
    }

    /** Forgets which space of {@code view} is live (a store shared between runs keeps no row of it). */
    default void forget(String view) {}

    @Override
    void close();

    static Backend open(String kind, Map<String, String> flags, Path viewsDir) {
      return switch (kind) {
        case "embedded" -> {
          var store = EmbeddedViewStore.open(viewsDir.resolve("views.db"));
          yield simple(store);
        }
        case "memory" -> simple(new InMemoryViewStore());
        case "postgres" -> postgres(flags.getOrDefault("jdbc-url", DEFAULT_JDBC_URL),
            Integer.parseInt(flags.getOrDefault("pool-size", "4")));
        default -> throw new IllegalArgumentException("unknown --store " + kind + "; embedded, postgres or memory");
      };
    }

    private static Backend simple(ViewStore store) {
      return new Backend() {
        @Override
        public ViewStore store() {
          return store;
        }

        @Override
        public void close() {
          store.close();
        }
      };
    }

    private static Backend postgres(String url, int poolSize) {
      var config = new HikariConfig();
      config.setJdbcUrl(url);
      config.setMaximumPoolSize(poolSize);
      config.setPoolName("viewload");
      var dataSource = new HikariDataSource(config);
      JdbcViewStore store = JdbcViewStore.open(dataSource);
      return new Backend() {
        @Override
        public ViewStore store() {
          return store;
        }

        @Override
        public void forget(String view) {
          try (Connection connection = dataSource.getConnection();
              PreparedStatement delete = connection.prepareStatement("DELETE FROM chiplog_view_live WHERE view_name = ?")) {
            delete.setString(1, view);
            delete.executeUpdate();
          } catch (SQLException e) {
            throw new IllegalStateException("cannot delete the live row of " + view + ": " + e.getMessage(), e);
          }
        }

        @Override
        public void close() {
          store.close();
          dataSource.close();
        }
      };
    }
  }
}

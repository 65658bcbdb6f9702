package io.chiplog.bench;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.store.FileEventStore;
import io.chiplog.views.EmbeddedViewStore;
import io.chiplog.views.InMemoryViewStore;
import io.chiplog.views.ViewReader;
import io.chiplog.views.ViewStore;
import io.chiplog.views.Views;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a key–value view by key through {@link ViewReader#get(String)} while the view is live
 * and caught up: latency percentiles (SampleTime). The {@code memory} store is the baseline in
 * the same run: what the view machinery and the value's JSON decode cost without a store. Informs
 * issue 7's read target (p99 at most 1 ms on the embedded view store); {@link ViewLoad} measures
 * the same with a projection running beside the reads.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@State(Scope.Benchmark)
public class ViewReadBenchmark {
  /** The view store: {@code embedded} (MVStore file) or {@code memory} (the baseline). */
  @Param({"embedded", "memory"})
  public String store;

  /** Keys in the view; the store holds 20 events per key. */
  @Param({"10000"})
  public int keys;

  private Path directory;
  private FileEventStore events;
  private ViewStore viewStore;
  private Views views;
  private ViewReader<ViewLoad.Tally> reader;

  /** A random generator per thread. */
  @State(Scope.Thread)
  public static class Picker {
    final SplittableRandom random = new SplittableRandom(7);
  }

  /** Fills a store with 20 events per key, builds the view and waits until it has caught up. */
  @Setup(Level.Trial)
  public void open() {
    directory = Fixtures.tempDirectory("chiplog-bench-views");
    events = FileEventStore.open(directory.resolve("events"));
    var random = new SplittableRandom(42);
    var batch = new ArrayList<EventData>(1_000);
    for (int n = 0; n < keys * 20; n++) {
      var added = new ViewLoad.Added(ViewLoad.key(random.nextInt(keys)), 1 + random.nextInt(100), "note");
      batch.add(ViewLoad.TYPES.encode(added, Fixtures.id(random)));
      if (batch.size() == 1_000) {
        events.append(AppendRequest.of(batch));
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      events.append(AppendRequest.of(batch));
    }
    viewStore = store.equals("memory") ? new InMemoryViewStore() : EmbeddedViewStore.open(directory.resolve("views.db"));
    var view = ViewLoad.view("tallies", 1);
    views = Views.builder(events, viewStore).add(view).start();
    views.awaitPosition("tallies", events.head(), Duration.ofMinutes(5));
    reader = views.reader(view);
  }

  /** Reads one random key. */
  @Benchmark
  public ViewLoad.Tally get(Picker picker) {
    ViewLoad.Tally tally = reader.get(ViewLoad.key(picker.random.nextInt(keys)));
    if (tally == null) {
      throw new IllegalStateException("no value: every key was filled");
    }
    return tally;
  }

  /** Closes everything and deletes the files. */
  @TearDown(Level.Trial)
  public void close() {
    views.close();
    viewStore.close();
    events.close();
    Fixtures.delete(directory);
  }
}

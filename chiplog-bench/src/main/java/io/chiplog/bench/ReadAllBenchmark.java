package io.chiplog.bench;

import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.store.FileEventStore;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Reading everything from position 1 of a prefilled store: events per second (the {@code events}
 * secondary score; the primary score counts whole passes). Informs the read path (record decoding,
 * position-index lookups, how events are materialised) against the issue 4 target of 3,000,000
 * events/s. The store is prefilled with {@code NO_FSYNC} (durability does not change the bytes).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 10)
@State(Scope.Benchmark)
public class ReadAllBenchmark {
  /** Events in the store. */
  @Param({"1000000"})
  public long events;

  private Path directory;
  private FileEventStore store;

  /** Counts the events read, reported by JMH as a rate. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Counter {
    /** Events read. */
    public long events;
  }

  /** Prefills a store and opens it with the default (durable) options. */
  @Setup(Level.Trial)
  public void open() {
    directory = Fixtures.tempDirectory("chiplog-bench-readall");
    Fixtures.prefill(directory, events, 64);
    store = FileEventStore.open(directory);
  }

  /** One pass over the whole log. */
  @Benchmark
  public long readAll(Counter counter) {
    long bytes = 0;
    try (Stream<RecordedEvent> all = store.read(Query.all(), ReadOptions.forwards())) {
      var iterator = all.iterator();
      while (iterator.hasNext()) {
        bytes += iterator.next().position();
        counter.events++;
      }
    }
    return bytes;
  }

  /** Closes and deletes the store. */
  @TearDown(Level.Trial)
  public void close() {
    store.close();
    Fixtures.delete(directory);
  }
}

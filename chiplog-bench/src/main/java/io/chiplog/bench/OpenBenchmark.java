package io.chiplog.bench;

import io.chiplog.store.FileEventStore;
import java.nio.file.Path;
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
 * Opening (and closing) a cleanly closed store of {@code events} events: time per open. Informs
 * the index checkpoint format and what open loads into heap (issue 4 target: at most 2 s for 10M
 * events). The files are in the page cache (warm open); the load generator's {@code open}
 * workload reports a first open in a fresh JVM and the resident memory after it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 5)
@State(Scope.Benchmark)
public class OpenBenchmark {
  /** Events in the store. */
  @Param({"1000000"})
  public long events;

  private Path directory;

  /** Prefills a store and closes it. */
  @Setup(Level.Trial)
  public void prefill() {
    directory = Fixtures.tempDirectory("chiplog-bench-open");
    Fixtures.prefill(directory, events, 64);
  }

  /** Opens the store with the default options and closes it. */
  @Benchmark
  public long openAndClose() {
    try (var store = FileEventStore.open(directory)) {
      return store.head();
    }
  }

  /** Deletes the store. */
  @TearDown(Level.Trial)
  public void delete() {
    Fixtures.delete(directory);
  }
}

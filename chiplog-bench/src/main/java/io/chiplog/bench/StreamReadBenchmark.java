package io.chiplog.bench;

import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.store.FileEventStore;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Reading one random 100-event stream of a store of {@code events} events: latency percentiles
 * (SampleTime). Informs the stream index and its run layout (issue 4 target: p99 at most 1 ms at
 * 10M events; the default here is 1M so that a trial prefills in seconds — pass
 * {@code -p events=10000000} for the target's size).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@State(Scope.Benchmark)
public class StreamReadBenchmark {
  /** Events in the store, in streams of 100. */
  @Param({"1000000"})
  public long events;

  private Path directory;
  private FileEventStore store;
  private long streams;

  /** A random generator per thread. */
  @State(Scope.Thread)
  public static class Picker {
    final SplittableRandom random = new SplittableRandom(7);
  }

  /** Prefills a store and opens it with the default (durable) options. */
  @Setup(Level.Trial)
  public void open() {
    directory = Fixtures.tempDirectory("chiplog-bench-stream");
    streams = Fixtures.prefill(directory, events, 64) / Fixtures.STREAM_LENGTH;
    store = FileEventStore.open(directory);
  }

  /** Reads one whole stream. */
  @Benchmark
  public List<RecordedEvent> readStream(Picker picker) {
    String stream = Fixtures.streamName(picker.random.nextLong(streams));
    try (Stream<RecordedEvent> events = store.readStream(stream, ReadOptions.forwards())) {
      return events.toList();
    }
  }

  /** Closes and deletes the store. */
  @TearDown(Level.Trial)
  public void close() {
    store.close();
    Fixtures.delete(directory);
  }
}

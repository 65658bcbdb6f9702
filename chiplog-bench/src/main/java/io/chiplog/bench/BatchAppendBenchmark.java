package io.chiplog.bench;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.EventData;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.store.Durability;
import io.chiplog.store.FileEventStore;
import io.chiplog.store.StoreOptions;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One writer appending 100-event batches (a new stream each, expected "no stream"): events per
 * second. Informs the write path's batch encoding and fsync policy (issue 4 target: at least
 * 1,000,000 events/s durable). {@code inFlight} 1 waits for each append; more pipelines them with
 * {@code appendAsync} so one writer thread fills several group commits. {@code NO_FSYNC} is the
 * baseline measured in the same run: the distance between the two is what fsync costs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(BatchAppendBenchmark.BATCH)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Threads(1)
@State(Scope.Benchmark)
public class BatchAppendBenchmark {
  /** Events per append; the score is in events (one invocation counts this many operations). */
  static final int BATCH = 100;

  /** When an append counts as done; NO_FSYNC is the baseline. */
  @Param({"FSYNC", "NO_FSYNC"})
  public String durability;

  /** Appends the one writer keeps in flight. */
  @Param({"1", "16"})
  public int inFlight;

  private Path directory;
  private FileEventStore store;
  private final SplittableRandom random = new SplittableRandom(42);
  private final ArrayDeque<CompletableFuture<AppendResult>> pending = new ArrayDeque<>();
  private long sequence;
  private List<EventData> next;

  /** Opens an empty store in a temporary directory. */
  @Setup(Level.Trial)
  public void open() {
    directory = Fixtures.tempDirectory("chiplog-bench-append");
    store = FileEventStore.open(StoreOptions.builder(directory).durability(Durability.valueOf(durability)).build());
  }

  /** Builds the next batch outside the measured call (fresh ids, or it would be a retry). */
  @Setup(Level.Invocation)
  public void nextBatch() {
    next = Fixtures.events(random, sequence, BATCH);
  }

  /** Appends one batch, keeping at most {@code inFlight} unacknowledged. */
  @Benchmark
  public AppendResult append() {
    var request = AppendRequest.of(next).toStream("batch-" + sequence++, ExpectedRevision.noStream());
    pending.add(store.appendAsync(request));
    return pending.size() >= inFlight ? pending.poll().join() : null;
  }

  /** Waits for the appends in flight, closes and deletes the store. */
  @TearDown(Level.Trial)
  public void close() {
    pending.forEach(CompletableFuture::join);
    pending.clear();
    store.close();
    Fixtures.delete(directory);
  }
}

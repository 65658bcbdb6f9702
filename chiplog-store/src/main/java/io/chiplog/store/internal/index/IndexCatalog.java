package io.chiplog.store.internal.index;

import io.chiplog.store.FileIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the index files. A checkpoint freezes the in-heap tails on the writer thread (cheap) and
 * writes them to disk on a flusher thread — a new key run, more of {@code positions.idx}, then the
 * checkpoint file — so the writer never waits for index I/O unless the flusher falls two
 * checkpoints behind. A merger thread merges runs by size tier: a run's tier is how many times
 * four checkpoint intervals fit its span; when the newest four runs share a tier they become one
 * run of the next tier, so lookups visit about three runs per power of four of the log's length.
 *
 * <p>Thread-safety: the writer calls {@link #checkpoint}; flushes and merges change the run list
 * and rewrite the checkpoint file under this object's monitor.
 */
public final class IndexCatalog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IndexCatalog.class);
  private static final int RUNS_PER_MERGE = 4;
  private static final int PENDING_FLUSHES_MAX = 2;

  private final Path directory;
  private final FileIo fileIo;
  private final KeyIndex keys;
  private final PositionIndex positions;
  private final long checkpointIntervalEvents;
  private final ExecutorService flusher = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().name("chiplog-index-flusher").daemon(true).factory());
  private final ExecutorService merger = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().name("chiplog-index-merger").daemon(true).factory());
  private long checkpointed;
  private long frozenThrough;
  private int pendingFlushes;
  private @Nullable IOException flushFailure;
  private boolean merging;
  private boolean closed;

  /** The catalog of an opened index whose files cover positions up to {@code checkpointed}. */
  public IndexCatalog(Path directory, FileIo fileIo, KeyIndex keys, PositionIndex positions,
      long checkpointIntervalEvents, long checkpointed) {
    this.directory = directory;
    this.fileIo = fileIo;
    this.keys = keys;
    this.positions = positions;
    this.checkpointIntervalEvents = checkpointIntervalEvents;
    this.checkpointed = checkpointed;
    this.frozenThrough = checkpointed;
  }

  /** Starts merging if the runs an earlier run of the store left call for it. */
  public synchronized void start() {
    scheduleMerge();
  }

  /** The last position frozen for a checkpoint (written or being written). */
  public synchronized long frozenThrough() {
    return frozenThrough;
  }

  /**
   * Freezes the index tails up to {@code through} and has them written in the background.
   * Writer thread only; waits while two earlier checkpoints are still being written, which bounds
   * the heap the tails take.
   *
   * @throws IOException when an earlier background flush failed
   */
  public synchronized void checkpoint(long through) throws IOException, InterruptedException {
    if (flushFailure != null) {
      throw flushFailure;
    }
    if (through <= frozenThrough) {
      return;
    }
    while (pendingFlushes >= PENDING_FLUSHES_MAX) {
      wait();
    }
    positions.freeze();
    KeyIndex.Frozen frozen = keys.freeze(frozenThrough + 1, through);
    frozenThrough = through;
    pendingFlushes++;
    flusher.execute(() -> flush(frozen));
  }

  /** Waits until every frozen tail is on disk. */
  public synchronized void awaitFlushed() throws IOException, InterruptedException {
    while (pendingFlushes > 0) {
      wait();
    }
    if (flushFailure != null) {
      throw flushFailure;
    }
  }

  private void flush(KeyIndex.Frozen frozen) {
    try {
      IndexRun run = KeyIndex.writeRun(frozen, directory.resolve(runName(frozen.first(), frozen.last())), fileIo);
      positions.persistOldestFrozen();
      synchronized (this) {
        keys.replaceFrozen(frozen, run);
        checkpointed = frozen.last();
        writeCheckpointFile();
        scheduleMerge();
      }
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        flushFailure = e instanceof IOException io ? io
            : new IOException("index flush of positions " + frozen.first() + ".." + frozen.last() + " failed", e);
      }
      LOG.error("writing the index of positions {}..{} in {} failed", frozen.first(), frozen.last(), directory, e);
    } finally {
      synchronized (this) {
        pendingFlushes--;
        notifyAll();
      }
    }
  }

  private void writeCheckpointFile() throws IOException {
    List<String> runs = keys.runs().stream().map(r -> r.path().getFileName().toString()).toList();
    new Checkpoint(checkpointed, runs).write(directory, fileIo);
  }

  private void scheduleMerge() {
    if (!merging && !closed && pickMerge() != null) {
      merging = true;
      merger.execute(this::merge);
    }
  }

  /** The newest runs to merge, or null when the newest tier has fewer than four. */
  private @Nullable List<IndexRun> pickMerge() {
    List<IndexRun> runs = keys.runs();
    if (runs.size() < RUNS_PER_MERGE) {
      return null;
    }
    List<IndexRun> newest = runs.subList(runs.size() - RUNS_PER_MERGE, runs.size());
    int tier = tier(newest.getLast());
    for (IndexRun run : newest) {
      if (tier(run) != tier) {
        return null;
      }
    }
    return List.copyOf(newest);
  }

  private int tier(IndexRun run) {
    long intervals = Math.max(1, (run.lastPosition() - run.firstPosition() + 1) / checkpointIntervalEvents);
    int tier = 0;
    while (intervals >= RUNS_PER_MERGE) {
      intervals /= RUNS_PER_MERGE;
      tier++;
    }
    return tier;
  }

  private void merge() {
    List<IndexRun> inputs;
    synchronized (this) {
      inputs = pickMerge();
    }
    try {
      if (inputs != null) {
        mergeRuns(inputs);
      }
    } catch (IOException | RuntimeException e) {
      // The index stays valid without the merge; lookups are only slower. Retried next flush.
      LOG.warn("merging index runs {} failed: {}", inputs, e.toString());
    } finally {
      synchronized (this) {
        merging = false;
        scheduleMerge();
      }
    }
  }

  private void mergeRuns(List<IndexRun> inputs) throws IOException {
    long first = inputs.getFirst().firstPosition();
    long last = inputs.getLast().lastPosition();
    long started = System.nanoTime();
    IndexRun merged = IndexRunMerger.merge(inputs, directory.resolve(runName(first, last)), fileIo);
    synchronized (this) {
      keys.replace(inputs, merged);
      writeCheckpointFile();
    }
    for (IndexRun input : inputs) {
      // Readers holding the old snapshot keep their mapping; the file goes when they do.
      Files.deleteIfExists(input.path());
    }
    LOG.debug("merged {} index runs for positions {}..{} in {} ms", inputs.size(), first, last,
        (System.nanoTime() - started) / 1_000_000);
  }

  private static String runName(long first, long last) {
    return String.format("run-%020d-%020d.idx", first, last);
  }

  /**
   * Waits for the flushes, then for a merge in progress to finish (a merge abandoned at every
   * close would never land for a store that is opened briefly and often), then stops both
   * threads.
   */
  @Override
  public void close() {
    flusher.shutdown();
    awaitTermination(flusher, "index flush");
    synchronized (this) {
      closed = true;
    }
    merger.shutdown();
    awaitTermination(merger, "index merge");
  }

  private void awaitTermination(ExecutorService executor, String what) {
    try {
      if (!executor.awaitTermination(5, TimeUnit.MINUTES)) {
        LOG.warn("an {} in {} did not finish within 5 minutes", what, directory);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

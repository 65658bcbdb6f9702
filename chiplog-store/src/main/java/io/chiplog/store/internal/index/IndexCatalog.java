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
 * Owns the index files: writes a checkpoint (position tail, a new key run, the checkpoint file)
 * when the writer asks, and merges runs in the background so lookups visit few of them.
 *
 * <p>Runs are merged by size tier, as in a size-tiered LSM tree: a run's tier is how many times
 * four checkpoint intervals fit its span; when the newest four runs share a tier they are merged
 * into one of the next tier. Lookups then visit about three runs per power of four of the log's
 * length, and each position is rewritten once per tier.
 *
 * <p>Thread-safety: {@link #checkpoint} runs on the writer thread, merges on the merger thread;
 * both change the run list and rewrite the checkpoint file under this object's monitor.
 */
public final class IndexCatalog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IndexCatalog.class);
  private static final int RUNS_PER_MERGE = 4;

  private final Path directory;
  private final FileIo fileIo;
  private final KeyIndex keys;
  private final PositionIndex positions;
  private final long checkpointIntervalEvents;
  private final ExecutorService merger = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().name("chiplog-index-merger").daemon(true).factory());
  private long checkpointed;
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
  }

  /** The last position the index files cover. */
  public synchronized long checkpointed() {
    return checkpointed;
  }

  /** Writes the in-heap index tail up to {@code through} to disk. Writer thread only. */
  public synchronized void checkpoint(long through) throws IOException {
    if (through <= checkpointed) {
      return;
    }
    positions.checkpoint();
    keys.flush(directory.resolve(runName(checkpointed + 1, through)), checkpointed + 1, through, fileIo);
    checkpointed = through;
    writeCheckpointFile();
    scheduleMerge();
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
      // The index stays valid without the merge; lookups are only slower. Retried next checkpoint.
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
      if (closed) {
        return;
      }
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

  /** Waits for a merge in progress and stops merging. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    merger.shutdown();
    try {
      if (!merger.awaitTermination(5, TimeUnit.MINUTES)) {
        LOG.warn("an index merge in {} did not finish within 5 minutes", directory);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

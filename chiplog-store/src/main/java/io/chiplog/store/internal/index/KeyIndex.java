package io.chiplog.store.internal.index;

import io.chiplog.store.FileIo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Key to positions, for every stream, tag, type and event id: the runs on disk plus the
 * in-heap tail (the memtable) of events since the last checkpoint.
 *
 * <p>Keys carry a one-letter namespace so the four kinds share one index: {@code s} stream, {@code
 * t} tag, {@code y} type, {@code i} event id.
 *
 * <p>Writer thread: {@link #add}, {@link #flush}. Readers: {@link #postings}, from any thread;
 * they read a snapshot (runs + memtable) that the writer replaces whole at a checkpoint.
 */
public final class KeyIndex {
  private static final int TAIL_CAPACITY = 2;

  private record Snapshot(List<IndexRun> runs, Map<String, LongList> memtable) {}

  private volatile Snapshot snapshot;
  private long memtablePostings;

  /** An index over {@code runs} (oldest first) with an empty memtable. */
  public KeyIndex(List<IndexRun> runs) {
    this.snapshot = new Snapshot(List.copyOf(runs), new ConcurrentHashMap<>());
  }

  /** The key of a stream. */
  public static String streamKey(String stream) {
    return "s" + stream;
  }

  /** The key of a tag. */
  public static String tagKey(String tag) {
    return "t" + tag;
  }

  /** The key of a type. */
  public static String typeKey(String type) {
    return "y" + type;
  }

  /** The key of an event id. */
  public static String idKey(UUID id) {
    return "i" + id;
  }

  /** Adds {@code position} (above every position added before) to {@code key}. Writer only. */
  public void add(String key, long position) {
    snapshot.memtable().computeIfAbsent(key, k -> new LongList(TAIL_CAPACITY)).add(position);
    memtablePostings++;
  }

  /**
   * Drops memtable positions above {@code position}: undoes what a failed batch had added.
   * Writer only.
   */
  public void truncateAbove(long position) {
    for (LongList list : snapshot.memtable().values()) {
      int size = list.size();
      while (size > 0 && list.get(size - 1) > position) {
        size--;
      }
      list.truncate(size);
    }
  }

  /** The positions of {@code key}, as of now. Any thread. */
  public Postings postings(String key) {
    Snapshot current = snapshot;
    byte[] bytes = null;
    List<IndexRun.Part> parts = List.of();
    for (IndexRun run : current.runs()) {
      if (bytes == null) {
        bytes = key.getBytes(StandardCharsets.UTF_8);
      }
      IndexRun.Part part = run.find(bytes);
      if (part != null) {
        if (parts.isEmpty()) {
          parts = new ArrayList<>(current.runs().size());
        }
        parts.add(part);
      }
    }
    LongList tail = current.memtable().get(key);
    int tailSize = tail == null ? 0 : tail.size();
    if (parts.isEmpty() && tailSize == 0) {
      return Postings.EMPTY;
    }
    return new Postings(parts, tail == null ? new LongList(TAIL_CAPACITY) : tail, tailSize);
  }

  /** Positions added since the last flush. */
  public long memtablePostings() {
    return memtablePostings;
  }

  /** The runs, oldest first. */
  public List<IndexRun> runs() {
    return snapshot.runs();
  }

  /**
   * Writes the memtable as a new run covering {@code first..last}, then makes it part of the
   * index in place of the memtable. Writer only; readers keep working on the old snapshot.
   */
  public IndexRun flush(Path file, long first, long last, FileIo fileIo) throws IOException {
    Snapshot current = snapshot;
    var entries = new ArrayList<IndexRun.Entry>(current.memtable().size());
    for (Map.Entry<String, LongList> e : current.memtable().entrySet()) {
      int count = e.getValue().size();
      if (count > 0) {
        entries.add(new IndexRun.Entry(e.getKey().getBytes(StandardCharsets.UTF_8), e.getValue(), count));
      }
    }
    entries.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
    IndexRun.write(file, entries, first, last, fileIo);
    IndexRun run = IndexRun.open(file);
    var runs = new ArrayList<>(current.runs());
    runs.add(run);
    snapshot = new Snapshot(List.copyOf(runs), new ConcurrentHashMap<>());
    memtablePostings = 0;
    return run;
  }

  /**
   * Replaces {@code inputs}, consecutive runs of the index, by {@code merged}, which holds the
   * same keys and positions. Any thread, serialised with {@link #flush} by {@link IndexCatalog}.
   */
  void replace(List<IndexRun> inputs, IndexRun merged) {
    Snapshot current = snapshot;
    var runs = new ArrayList<>(current.runs());
    int at = runs.indexOf(inputs.getFirst());
    if (at < 0 || !runs.subList(at, at + inputs.size()).equals(inputs)) {
      throw new IllegalStateException("runs " + inputs + " are not consecutive runs of " + runs);
    }
    runs.subList(at, at + inputs.size()).clear();
    runs.add(at, merged);
    snapshot = new Snapshot(List.copyOf(runs), current.memtable());
  }
}

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
import org.jspecify.annotations.Nullable;

/**
 * Key to positions, for every stream, tag, type and event id: the runs on disk, then frozen
 * memtables waiting to become runs, then the active memtable the writer adds to. In memtables,
 * event ids live in an {@link IdTable} of primitives rather than as keys.
 *
 * <p>Keys carry a one-letter namespace so the four kinds share one index: {@code s} stream, {@code
 * t} tag, {@code y} type, {@code i} event id.
 *
 * <p>Writer thread: {@link #add}, {@link #truncateAbove}, {@link #freeze}. The flusher and merger
 * threads: {@link #writeRun}, {@link #replaceFrozen}, {@link #replace}, serialised by {@link
 * IndexCatalog}. Readers: {@link #postings}, any thread. Every change publishes a new immutable
 * snapshot; readers use the one they read, so the parts of a key are always ordered by position.
 */
public final class KeyIndex {
  private static final int TAIL_CAPACITY = 2;

  /** A memtable (keys and event ids) that no longer changes, and the positions it covers. */
  public record Frozen(Map<String, LongList> memtable, IdTable ids, long first, long last) {}

  private record Snapshot(List<IndexRun> runs, List<Frozen> frozen, Map<String, LongList> active, IdTable activeIds) {}

  private final int memtableCapacity;
  private volatile Snapshot snapshot;
  private long activePostings;

  /**
   * An index over {@code runs} (oldest first) with an empty memtable sized for about {@code
   * expectedKeys} keys, so that it does not rehash while the writer fills it.
   */
  public KeyIndex(List<IndexRun> runs, int expectedKeys) {
    this.memtableCapacity = expectedKeys;
    this.snapshot = new Snapshot(List.copyOf(runs), List.of(), newMemtable(), new IdTable(expectedKeys / 4));
  }

  private Map<String, LongList> newMemtable() {
    return new ConcurrentHashMap<>(memtableCapacity);
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

  /**
   * Adds the keys of an event at {@code position}: its stream (if any), type, tags and id. The
   * writer and recovery both index through here, so the two can never disagree. Writer only.
   */
  public void addEvent(UUID id, String type, Iterable<String> tags, @Nullable String stream, long position) {
    if (stream != null) {
      add(streamKey(stream), position);
    }
    add(typeKey(type), position);
    for (String tag : tags) {
      add(tagKey(tag), position);
    }
    addId(id, position);
  }

  /** Records the position of a new event id. Writer only. */
  public void addId(UUID id, long position) {
    snapshot.activeIds().put(id, position);
  }

  /**
   * The position of the event with {@code id}, or -1. Ids are in the id tables of the memtables
   * and under their {@link #idKey} in the runs.
   */
  public long positionOfId(UUID id) {
    Snapshot current = snapshot;
    long position = current.activeIds().positionOf(id);
    if (position > 0) {
      return position;
    }
    for (Frozen frozen : current.frozen()) {
      position = frozen.ids().positionOf(id);
      if (position > 0) {
        return position;
      }
    }
    byte[] key = idKey(id).getBytes(StandardCharsets.UTF_8);
    for (IndexRun run : current.runs()) {
      IndexRun.Part part = run.find(key);
      if (part != null) {
        return part.get(0);
      }
    }
    return -1;
  }

  /** Adds {@code position} (above every position added before) to {@code key}. Writer only. */
  public void add(String key, long position) {
    snapshot.active().computeIfAbsent(key, k -> new LongList(TAIL_CAPACITY)).add(position);
    activePostings++;
  }

  /**
   * Drops active positions above {@code position}: undoes what a failed batch had added. Writer
   * only; a batch never spans a freeze, so its positions are all in the active memtable.
   */
  public synchronized void truncateAbove(long position) {
    Snapshot current = snapshot;
    for (LongList list : current.active().values()) {
      int size = list.size();
      while (size > 0 && list.get(size - 1) > position) {
        size--;
      }
      list.truncate(size);
    }
    snapshot = new Snapshot(current.runs(), current.frozen(), current.active(), current.activeIds().withoutAbove(position));
  }


  /** Positions added to the active memtable. */
  public long activePostings() {
    return activePostings;
  }

  /**
   * Freezes the active memtable as covering {@code first..last} and starts a new one. Writer
   * only. The frozen memtable stays readable until {@link #replaceFrozen} swaps in its run.
   */
  public synchronized Frozen freeze(long first, long last) {
    Snapshot current = snapshot;
    var frozen = new Frozen(current.active(), current.activeIds(), first, last);
    var all = new ArrayList<>(current.frozen());
    all.add(frozen);
    snapshot = new Snapshot(current.runs(), List.copyOf(all), newMemtable(), new IdTable(memtableCapacity / 4));
    activePostings = 0;
    return frozen;
  }

  /** The positions of {@code key}, as of now. Any thread. */
  public Postings postings(String key) {
    return postings(key, 0);
  }

  /**
   * The positions of {@code key} from {@code from} on, as of now: runs that end before {@code
   * from} are skipped, which keeps a DCB check or a forward read near the head from visiting the
   * whole history. Positions below {@code from} may still appear (runs are not cut). Any thread.
   */
  public Postings postings(String key, long from) {
    Snapshot current = snapshot;
    byte[] bytes = null;
    List<Postings.Part> parts = List.of();
    for (IndexRun run : current.runs()) {
      if (run.lastPosition() < from) {
        continue;
      }
      if (bytes == null) {
        bytes = key.getBytes(StandardCharsets.UTF_8);
      }
      IndexRun.Part part = run.find(bytes);
      if (part != null) {
        parts = add(parts, part, current);
      }
    }
    for (Frozen frozen : current.frozen()) {
      LongList list = frozen.memtable().get(key);
      if (list != null && list.size() > 0) {
        parts = add(parts, new Postings.ListPart(list, list.size()), current);
      }
    }
    LongList tail = current.active().get(key);
    if (tail != null && tail.size() > 0) {
      parts = add(parts, new Postings.ListPart(tail, tail.size()), current);
    }
    return parts.isEmpty() ? Postings.EMPTY : new Postings(parts);
  }

  private static List<Postings.Part> add(List<Postings.Part> parts, Postings.Part part, Snapshot current) {
    List<Postings.Part> out = parts.isEmpty() ? new ArrayList<>(current.runs().size() + 2) : parts;
    out.add(part);
    return out;
  }

  /** The runs, oldest first. */
  public List<IndexRun> runs() {
    return snapshot.runs();
  }

  /** Writes a frozen memtable as a run file (sorted by unsigned key bytes). Flusher thread. */
  static IndexRun writeRun(Frozen frozen, Path file, FileIo fileIo) throws IOException {
    var entries = new ArrayList<IndexRun.Entry>(frozen.memtable().size() + frozen.ids().size());
    for (Map.Entry<String, LongList> e : frozen.memtable().entrySet()) {
      int count = e.getValue().size();
      if (count > 0) {
        entries.add(new IndexRun.Entry(e.getKey().getBytes(StandardCharsets.UTF_8), e.getValue(), count));
      }
    }
    // In a run, ids are ordinary keys: short-lived objects made here, on the flusher thread.
    frozen.ids().forEach((id, position) -> {
      var one = new LongList(1);
      one.add(position);
      entries.add(new IndexRun.Entry(idKey(id).getBytes(StandardCharsets.UTF_8), one, 1));
    });
    entries.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
    IndexRun.write(file, entries, frozen.first(), frozen.last(), fileIo);
    return IndexRun.open(file);
  }

  /** Swaps the oldest frozen memtable for the run written from it. */
  synchronized void replaceFrozen(Frozen frozen, IndexRun run) {
    Snapshot current = snapshot;
    if (current.frozen().isEmpty() || current.frozen().getFirst() != frozen) {
      throw new IllegalStateException("frozen memtables must become runs oldest first");
    }
    var runs = new ArrayList<>(current.runs());
    runs.add(run);
    snapshot = new Snapshot(List.copyOf(runs), current.frozen().subList(1, current.frozen().size()), current.active(),
        current.activeIds());
  }

  /**
   * Replaces {@code inputs}, consecutive runs of the index, by {@code merged}, which holds the
   * same keys and positions.
   */
  synchronized void replace(List<IndexRun> inputs, IndexRun merged) {
    Snapshot current = snapshot;
    var runs = new ArrayList<>(current.runs());
    int at = runs.indexOf(inputs.getFirst());
    if (at < 0 || !runs.subList(at, at + inputs.size()).equals(inputs)) {
      throw new IllegalStateException("runs " + inputs + " are not consecutive runs of " + runs);
    }
    runs.subList(at, at + inputs.size()).clear();
    runs.add(at, merged);
    snapshot = new Snapshot(List.copyOf(runs), current.frozen(), current.active(), current.activeIds());
  }
}

package io.chiplog.store.internal.index;

import io.chiplog.store.FileIo;
import io.chiplog.store.internal.io.MappedFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Position to log location ({@code SegmentLog.location}): the file {@code positions.idx} of
 * eight-byte entries for positions 1..n up to the last checkpoint, memory-mapped; then frozen
 * tails waiting to be appended to it; then the active tail the writer adds to. Positions are
 * consecutive, so the entry of position p is at offset {@code (p - 1) * 8}.
 *
 * <p>Writer thread: {@link #add}, {@link #truncateAbove}, {@link #freeze}. Flusher thread:
 * {@link #persistOldestFrozen}. Readers: {@link #location}, any thread, on an immutable state.
 */
public final class PositionIndex implements AutoCloseable {
  private record State(MappedFile persisted, long persistedCount, List<LongList> frozen, LongList active) {}

  private final Path path;
  private final FileChannel channel;
  private volatile State state;

  private PositionIndex(Path path, FileChannel channel, State state) {
    this.path = path;
    this.channel = channel;
    this.state = state;
  }

  /** Opens the file, keeping its first {@code count} entries (the checkpointed ones). */
  public static PositionIndex open(Path path, long count, FileIo fileIo) throws IOException {
    FileChannel channel = fileIo.openForWriting(path);
    try {
      if (channel.size() < count * Long.BYTES) {
        throw new IOException(path.getFileName() + ": holds " + channel.size() / Long.BYTES
            + " entries but the checkpoint says " + count);
      }
      channel.truncate(count * Long.BYTES);
      channel.force(/* metaData= */ true);
      return new PositionIndex(path, channel, new State(MappedFile.map(path), count, List.of(), newTail()));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static LongList newTail() {
    return new LongList(1 << 16);
  }

  /** Records the location of the next position. Writer only. */
  public void add(long location) {
    state.active().add(location);
  }

  /** Drops active entries above {@code position} (after a failed batch). Writer only. */
  public void truncateAbove(long position) {
    State current = state;
    long before = current.persistedCount();
    for (LongList tail : current.frozen()) {
      before += tail.size();
    }
    current.active().truncate((int) Math.max(0, position - before));
  }

  /** How many positions have a location. */
  public long count() {
    State current = state;
    long count = current.persistedCount() + current.active().size();
    for (LongList tail : current.frozen()) {
      count += tail.size();
    }
    return count;
  }

  /** The location of {@code position}, which must be at most {@link #count()}. */
  public long location(long position) {
    State current = state;
    if (position <= current.persistedCount()) {
      return current.persisted().getLong((position - 1) * Long.BYTES);
    }
    long index = position - current.persistedCount() - 1;
    for (LongList tail : current.frozen()) {
      if (index < tail.size()) {
        return tail.get((int) index);
      }
      index -= tail.size();
    }
    return current.active().get((int) index);
  }

  /** Freezes the active tail (it will not change again) and starts a new one. Writer only. */
  public synchronized void freeze() {
    State current = state;
    var frozen = new ArrayList<>(current.frozen());
    frozen.add(current.active());
    state = new State(current.persisted(), current.persistedCount(), List.copyOf(frozen), newTail());
  }

  /** Appends the oldest frozen tail to the file, forces it, and maps the longer file. Flusher only. */
  public void persistOldestFrozen() throws IOException {
    LongList tail = state.frozen().getFirst();
    long offset = state.persistedCount() * Long.BYTES;
    var out = new SectionWriter(channel, offset);
    for (int i = 0; i < tail.size(); i++) {
      out.putLong(tail.get(i));
    }
    out.flush();
    channel.force(/* metaData= */ true);
    MappedFile mapped = MappedFile.map(path);
    synchronized (this) {
      State current = state;
      state = new State(mapped, current.persistedCount() + tail.size(),
          current.frozen().subList(1, current.frozen().size()), current.active());
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}

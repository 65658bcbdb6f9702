package io.chiplog.store.internal.index;

import io.chiplog.store.FileIo;
import io.chiplog.store.internal.io.MappedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Position to log location ({@code SegmentLog.location}): the file {@code positions.idx} of
 * eight-byte entries for positions 1..n up to the last checkpoint, memory-mapped, plus an
 * in-heap tail for the positions after it. Positions are consecutive, so the entry of position
 * p is at offset {@code (p - 1) * 8}.
 *
 * <p>Writer thread: {@link #add}, {@link #checkpoint}. Readers: {@link #location}, any thread.
 */
public final class PositionIndex implements AutoCloseable {
  private record State(MappedFile persisted, long persistedCount, LongList tail) {}

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
      return new PositionIndex(path, channel, new State(MappedFile.map(path), count, new LongList(1 << 16)));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Records the location of the next position. Writer only. */
  public void add(long location) {
    state.tail().add(location);
  }

  /** Drops the tail's entries above {@code position} (after a failed batch). Writer only. */
  public void truncateAbove(long position) {
    State current = state;
    current.tail().truncate((int) Math.max(0, position - current.persistedCount()));
  }

  /** How many positions have a location. */
  public long count() {
    State current = state;
    return current.persistedCount() + current.tail().size();
  }

  /** How many positions are in the file. */
  public long persistedCount() {
    return state.persistedCount();
  }

  /** The location of {@code position}, which must be at most {@link #count()}. */
  public long location(long position) {
    State current = state;
    if (position <= current.persistedCount()) {
      return current.persisted().getLong((position - 1) * Long.BYTES);
    }
    return current.tail().get((int) (position - current.persistedCount() - 1));
  }

  /** Appends the tail to the file, forces it, and maps the longer file. Writer only. */
  public void checkpoint() throws IOException {
    State current = state;
    LongList tail = current.tail();
    int n = tail.size();
    var buffer = ByteBuffer.allocate(Math.min(n, 1 << 16) * Long.BYTES);
    long offset = current.persistedCount() * Long.BYTES;
    for (int i = 0; i < n; i++) {
      if (!buffer.hasRemaining()) {
        offset += write(buffer, offset);
      }
      buffer.putLong(tail.get(i));
    }
    write(buffer, offset);
    channel.force(/* metaData= */ true);
    state = new State(MappedFile.map(path), current.persistedCount() + n, new LongList(1 << 16));
  }

  private int write(ByteBuffer buffer, long offset) throws IOException {
    buffer.flip();
    int written = 0;
    while (buffer.hasRemaining()) {
      written += channel.write(buffer, offset + written);
    }
    buffer.clear();
    return written;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}

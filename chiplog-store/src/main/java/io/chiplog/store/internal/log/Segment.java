package io.chiplog.store.internal.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One segment file. The writer thread appends to the last segment; any thread reads with
 * positional reads, which never move the channel's position and never block the writer.
 *
 * <p>{@code durableSize} is the end of the last forced batch; readers never read past it.
 */
public final class Segment {
  private final int ordinal;
  private final long firstPosition;
  private final Path path;
  private final FileChannel channel;
  private volatile long durableSize;

  Segment(int ordinal, long firstPosition, Path path, FileChannel channel, long durableSize) {
    this.ordinal = ordinal;
    this.firstPosition = firstPosition;
    this.path = path;
    this.channel = channel;
    this.durableSize = durableSize;
  }

  /** Its place in the log, from 0. */
  public int ordinal() {
    return ordinal;
  }

  /** The position of its first record. */
  public long firstPosition() {
    return firstPosition;
  }

  /** Its file. */
  public Path path() {
    return path;
  }

  FileChannel channel() {
    return channel;
  }

  /** The file's current size, records not yet forced included. */
  public long fileSize() throws IOException {
    return channel.size();
  }

  /** The bytes readers may read: header plus the records of every forced batch. */
  public long durableSize() {
    return durableSize;
  }

  /** Lets readers read up to {@code size}. */
  public void markDurable(long size) {
    durableSize = size;
  }

  /** Reads up to {@code into.remaining()} bytes at {@code offset}; returns the bytes read. */
  public int read(ByteBuffer into, long offset) throws IOException {
    int total = 0;
    while (into.hasRemaining()) {
      int n = channel.read(into, offset + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  void close() throws IOException {
    channel.close();
  }

  @Override
  public String toString() {
    return path.getFileName().toString();
  }
}

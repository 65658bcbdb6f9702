package io.chiplog.store.internal.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import io.chiplog.store.FileIo;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One segment file. The writer thread appends to the last segment through its own channel; any
 * thread reads with positional reads on a second channel, which never move a position and never
 * block the writer.
 *
 * <p>Readers have their own channel because a {@link FileChannel} closes itself when a thread
 * blocked in it is interrupted: an interrupted reader (a cancelled request) must not take the
 * writer's channel down with it. If it closes the read channel, the channel is reopened and the
 * other readers retry.
 *
 * <p>{@code durableSize} is the end of the last forced batch; readers never read past it.
 */
public final class Segment {
  private final int ordinal;
  private final long firstPosition;
  private final Path path;
  private final FileChannel channel;
  private final FileIo fileIo;
  private volatile FileChannel readChannel;
  private volatile boolean closed;
  private volatile long durableSize;

  Segment(int ordinal, long firstPosition, Path path, FileChannel channel, FileIo fileIo, long durableSize)
      throws IOException {
    this.ordinal = ordinal;
    this.firstPosition = firstPosition;
    this.path = path;
    this.channel = channel;
    this.fileIo = fileIo;
    this.readChannel = fileIo.openForReading(path);
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

  /**
   * Reads up to {@code into.remaining()} bytes at {@code offset}; returns the bytes read.
   *
   * @throws java.nio.channels.ClosedByInterruptException when this thread was interrupted
   */
  public int read(ByteBuffer into, long offset) throws IOException {
    int start = into.position();
    while (true) {
      FileChannel current = readChannel;
      try {
        while (into.hasRemaining()) {
          int n = current.read(into, offset + into.position() - start);
          if (n < 0) {
            break;
          }
        }
        return into.position() - start;
      } catch (ClosedChannelException e) {
        if (closed) {
          throw e;
        }
        // An interrupted reader closed the channel under everyone: reopen it for the others.
        // That reader gets its exception; the others, not interrupted, read again.
        boolean interrupted = Thread.interrupted();
        reopenReadChannel(current);
        if (interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        into.position(start);
      }
    }
  }

  private synchronized void reopenReadChannel(FileChannel closedOne) throws IOException {
    if (readChannel == closedOne && !closed) {
      readChannel = fileIo.openForReading(path);
    }
  }

  void close() throws IOException {
    closed = true;
    try {
      channel.close();
    } finally {
      readChannel.close();
    }
  }

  @Override
  public String toString() {
    return path.getFileName().toString();
  }
}

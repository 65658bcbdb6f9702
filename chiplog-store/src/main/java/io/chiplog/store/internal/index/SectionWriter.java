package io.chiplog.store.internal.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Buffered positional writes into one section of a file: index files are laid out as sections
 * whose offsets are known before writing, so each section gets its own writer. Not thread-safe.
 */
final class SectionWriter {
  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
  private long flushedTo;

  SectionWriter(FileChannel channel, long start) {
    this.channel = channel;
    this.flushedTo = start;
  }

  long offset() {
    return flushedTo + buffer.position();
  }

  SectionWriter putLong(long value) throws IOException {
    room(Long.BYTES);
    buffer.putLong(value);
    return this;
  }

  SectionWriter putInt(int value) throws IOException {
    room(Integer.BYTES);
    buffer.putInt(value);
    return this;
  }

  void put(byte[] bytes) throws IOException {
    int done = 0;
    while (done < bytes.length) {
      room(1);
      int n = Math.min(buffer.remaining(), bytes.length - done);
      buffer.put(bytes, done, n);
      done += n;
    }
  }

  private void room(int bytes) throws IOException {
    if (buffer.remaining() < bytes) {
      flush();
    }
  }

  void flush() throws IOException {
    buffer.flip();
    long at = flushedTo;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
    flushedTo = at;
    buffer.clear();
  }
}

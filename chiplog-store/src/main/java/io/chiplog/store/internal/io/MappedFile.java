package io.chiplog.store.internal.io;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only memory map of an immutable file of any size: a {@link MappedByteBuffer} holds at
 * most 2 GiB, so the file is mapped in chunks and reads that straddle two chunks are stitched.
 * The mapped pages live outside the heap and are paged in on demand, which keeps the store's heap
 * bounded however large its indexes grow.
 *
 * <p>Thread-safe: every read is absolute, nothing moves a buffer's position.
 */
public final class MappedFile {
  private static final int CHUNK_SHIFT = 30;
  private static final long CHUNK_SIZE = 1L << CHUNK_SHIFT;

  private final Path path;
  private final long size;
  private final MappedByteBuffer[] chunks;

  private MappedFile(Path path, long size, MappedByteBuffer[] chunks) {
    this.path = path;
    this.size = size;
    this.chunks = chunks;
  }

  /** Maps the whole file read-only; the channel is closed again (the mapping outlives it). */
  public static MappedFile map(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = channel.size();
      int count = (int) ((size + CHUNK_SIZE - 1) >>> CHUNK_SHIFT);
      var chunks = new MappedByteBuffer[count];
      for (int i = 0; i < count; i++) {
        long start = (long) i << CHUNK_SHIFT;
        chunks[i] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(CHUNK_SIZE, size - start));
      }
      return new MappedFile(path, size, chunks);
    }
  }

  /** The file's size in bytes. */
  public long size() {
    return size;
  }

  /** The file mapped. */
  public Path path() {
    return path;
  }

  /** The 8-byte big-endian value at {@code offset}. */
  public long getLong(long offset) {
    int chunk = (int) (offset >>> CHUNK_SHIFT);
    int within = (int) (offset & (CHUNK_SIZE - 1));
    if (within <= CHUNK_SIZE - Long.BYTES) {
      return chunks[chunk].getLong(within);
    }
    byte[] bytes = new byte[Long.BYTES];
    get(offset, bytes);
    return java.nio.ByteBuffer.wrap(bytes).getLong();
  }

  /** The 4-byte big-endian value at {@code offset}. */
  public int getInt(long offset) {
    int chunk = (int) (offset >>> CHUNK_SHIFT);
    int within = (int) (offset & (CHUNK_SIZE - 1));
    if (within <= CHUNK_SIZE - Integer.BYTES) {
      return chunks[chunk].getInt(within);
    }
    byte[] bytes = new byte[Integer.BYTES];
    get(offset, bytes);
    return java.nio.ByteBuffer.wrap(bytes).getInt();
  }

  /** The byte at {@code offset}. */
  public byte getByte(long offset) {
    return chunks[(int) (offset >>> CHUNK_SHIFT)].get((int) (offset & (CHUNK_SIZE - 1)));
  }

  /** Copies {@code into.length} bytes starting at {@code offset}. */
  public void get(long offset, byte[] into) {
    int done = 0;
    while (done < into.length) {
      long at = offset + done;
      int chunk = (int) (at >>> CHUNK_SHIFT);
      int within = (int) (at & (CHUNK_SIZE - 1));
      int n = Math.min(into.length - done, chunks[chunk].capacity() - within);
      chunks[chunk].get(within, into, done, n);
      done += n;
    }
  }
}

package io.chiplog.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A file layer whose segment files fail on command, as a full or failing disk does: a write
 * that stores only part of its bytes and then throws, or a force that throws.
 */
final class FailingFileIo implements FileIo {
  /** What the next segment write or force does. */
  enum Mode {
    HEALTHY,
    DISK_FULL_MID_WRITE,
    FORCE_FAILS,
    /** Only data forces ({@code fdatasync}) fail; creating files and zero-filling still work. */
    DATA_FORCE_FAILS,
    /** The next data force waits for {@link #release()} and succeeds; every later one fails. */
    DATA_FORCE_BLOCKS_THEN_FAILS
  }

  private volatile Mode mode = Mode.HEALTHY;
  private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
  private final java.util.concurrent.CountDownLatch blocking = new java.util.concurrent.CountDownLatch(1);

  /** Lets a blocked data force go on. */
  void release() {
    released.countDown();
  }

  /** Waits until a data force is blocked. */
  void awaitBlocked() throws InterruptedException {
    blocking.await();
  }

  void set(Mode newMode) {
    mode = newMode;
  }

  @Override
  public FileChannel openForWriting(Path file) throws IOException {
    FileChannel real = FileIo.super.openForWriting(file);
    return file.getFileName().toString().endsWith(".log") ? new Channel(real) : real;
  }

  private final class Channel extends ForwardingFileChannel {

    Channel(FileChannel real) {
      super(real);
    }

    @Override
    public int write(ByteBuffer source, long position) throws IOException {
      if (mode == Mode.DISK_FULL_MID_WRITE && source.remaining() > 1) {
        // Half the bytes land, then the disk is full: what a torn write looks like.
        var half = source.duplicate().limit(source.position() + source.remaining() / 2);
        real.write(half, position);
        throw new IOException("No space left on device");
      }
      return real.write(source, position);
    }

    @Override
    public void force(boolean metaData) throws IOException {
      if (mode == Mode.FORCE_FAILS || (!metaData && mode == Mode.DATA_FORCE_FAILS)) {
        throw new IOException("Input/output error (fsync)");
      }
      if (!metaData && mode == Mode.DATA_FORCE_BLOCKS_THEN_FAILS) {
        mode = Mode.DATA_FORCE_FAILS;
        blocking.countDown();
        try {
          released.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
      real.force(metaData);
    }

  }
}

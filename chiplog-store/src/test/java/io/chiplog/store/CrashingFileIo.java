package io.chiplog.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A simulated power loss over real files. Writes land in the file at once (as in the page cache,
 * so reads see them), but each write's previous bytes are kept until the file is forced. {@link
 * #crash} then makes every later file operation fail and puts back the previous bytes of a random
 * half of the unforced 4 KiB pages: what a machine that lost power leaves, pages reaching the
 * disk in any order. Forced data is never touched.
 *
 * <p>Every operation and the crash hold one lock, so a force either completed before the crash
 * (and its data is safe) or fails.
 */
final class CrashingFileIo implements FileIo {
  private static final int PAGE_BYTES = 4096;

  private final Object lock = new Object();
  private final List<Channel> channels = new ArrayList<>();
  private boolean crashed;
  private int writesBeforeCrash = -1;
  private RandomGenerator armedRandom = new java.util.SplittableRandom(0);
  private int pagesLost;

  /** The previous bytes of one unforced write. */
  private record PreImage(long offset, byte[] bytes) {}

  @Override
  public FileChannel openForWriting(Path file) throws IOException {
    synchronized (lock) {
      failIfCrashed();
      var channel = new Channel(FileIo.super.openForWriting(file));
      channels.add(channel);
      return channel;
    }
  }

  @Override
  public void syncDirectory(Path directory) throws IOException {
    synchronized (lock) {
      failIfCrashed();
      FileIo.super.syncDirectory(directory);
    }
  }

  /** Loses a random half of every file's unforced pages; later operations fail. Returns pages lost. */
  int crash(RandomGenerator random) throws IOException {
    synchronized (lock) {
      crashed = true;
      for (Channel channel : channels) {
        pagesLost += channel.revertSome(random);
      }
      return pagesLost;
    }
  }

  /**
   * Crashes in the middle of the {@code writes}-th write from now: only a random prefix of its
   * bytes lands, then {@link #crash} — the moment a power loss hurts most.
   */
  void crashDuringWrite(int writes, RandomGenerator random) {
    synchronized (lock) {
      writesBeforeCrash = writes;
      armedRandom = random;
    }
  }

  /** Whether the crash happened. */
  boolean hasCrashed() {
    synchronized (lock) {
      return crashed;
    }
  }

  /** Unforced pages the crash put back to their previous bytes. */
  int pagesLost() {
    synchronized (lock) {
      return pagesLost;
    }
  }

  private void failIfCrashed() throws IOException {
    if (crashed) {
      throw new IOException("simulated power loss");
    }
  }

  private final class Channel extends ForwardingFileChannel {
    private final List<PreImage> unforced = new ArrayList<>();

    Channel(FileChannel real) {
      super(real);
    }

    @Override
    public int write(ByteBuffer source, long position) throws IOException {
      synchronized (lock) {
        failIfCrashed();
        byte[] previous = new byte[source.remaining()];
        real.read(ByteBuffer.wrap(previous), position); // past the end of the file it stays zero
        unforced.add(new PreImage(position, previous));
        if (writesBeforeCrash > 0 && --writesBeforeCrash == 0) {
          var torn = source.duplicate();
          torn.limit(torn.position() + armedRandom.nextInt(torn.remaining() + 1));
          real.write(torn, position);
          crash(armedRandom);
          throw new IOException("simulated power loss during a write");
        }
        return real.write(source, position);
      }
    }

    @Override
    public void force(boolean metaData) throws IOException {
      synchronized (lock) {
        failIfCrashed();
        real.force(metaData);
        unforced.clear();
      }
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      synchronized (lock) {
        failIfCrashed();
        real.truncate(size);
        return this;
      }
    }

    /** Puts back, newest write first, the previous bytes of about half of the unforced pages. */
    int revertSome(RandomGenerator random) throws IOException {
      if (!real.isOpen()) {
        return 0;
      }
      int lost = 0;
      for (PreImage image : unforced.reversed()) {
        for (int from = 0; from < image.bytes().length; from += PAGE_BYTES) {
          if (random.nextBoolean()) {
            int length = Math.min(PAGE_BYTES, image.bytes().length - from);
            real.write(ByteBuffer.wrap(image.bytes(), from, length), image.offset() + from);
            lost++;
          }
        }
      }
      unforced.clear();
      return lost;
    }

  }
}

package io.chiplog.store.internal.io;

import io.chiplog.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a store directory ({@code <directory>/lock}), held while the store is open:
 * two writers on one log would interleave their records and corrupt it. The operating system
 * releases the lock when the process dies, so a crash never leaves a store locked.
 */
public final class DirectoryLock implements AutoCloseable {
  private static final String FILE_NAME = "lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code directory}, creating the directory if needed.
   *
   * @throws StoreException.Failed when another process, or this one, has the store open
   */
  public static DirectoryLock acquire(Path directory) {
    FileChannel channel = null;
    try {
      Files.createDirectories(directory);
      channel = FileChannel.open(directory.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new OverlappingFileLockException();
      }
      return new DirectoryLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new StoreException.Failed(directory + " is already open (in another process or in this one);"
          + " one process opens a store at a time");
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StoreException.Failed("cannot lock " + directory + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // The lock attempt's own failure is the one to report.
      }
    }
  }

  /** Releases the lock. */
  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}

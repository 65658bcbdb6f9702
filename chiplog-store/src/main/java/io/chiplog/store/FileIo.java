package io.chiplog.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How the store opens files and makes directory entries durable. Production uses {@link
 * #DEFAULT}; tests wrap channels to fail writes or forces, simulating a full or failing disk.
 */
public interface FileIo {

  /** The real file system. */
  FileIo DEFAULT = new FileIo() {};

  /** Opens a file for reading and writing, creating it if needed. */
  default FileChannel openForWriting(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  /** Opens an existing file for reading. */
  default FileChannel openForReading(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.READ);
  }

  /**
   * Makes the directory's entries (created, renamed, deleted files) durable. On Linux a
   * directory can be opened and forced like a file.
   */
  default void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(/* metaData= */ true);
    }
  }
}

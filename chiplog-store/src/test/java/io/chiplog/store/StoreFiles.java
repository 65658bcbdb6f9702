package io.chiplog.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finding a store's files in tests that damage them on purpose. */
final class StoreFiles {
  private StoreFiles() {}

  /** The segment files, in log order. */
  static List<Path> segments(Path store) throws IOException {
    try (Stream<Path> files = Files.list(store.resolve("log"))) {
      return files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
  }

  /** The last segment file. */
  static Path lastSegment(Path store) throws IOException {
    return segments(store).getLast();
  }

  /**
   * Where a segment's records end: segments are zero-filled ahead of the writer, and a record
   * always ends with its metadata's closing brace, so this is just past the last non-zero byte.
   */
  static long dataEnd(Path segment) throws IOException {
    byte[] bytes = Files.readAllBytes(segment);
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] == 0) {
      end--;
    }
    return end;
  }

  /** Cuts the segment's last {@code bytes} bytes of records (and its zero-filled tail). */
  static void cutRecordBytes(Path segment, int bytes) throws IOException {
    long end = dataEnd(segment);
    try (var channel = java.nio.channels.FileChannel.open(segment, java.nio.file.StandardOpenOption.WRITE)) {
      channel.truncate(end - bytes);
    }
  }

  /** Flips every bit of the byte at {@code offset}. */
  static void flipByte(Path file, long offset) throws IOException {
    try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
        java.nio.file.StandardOpenOption.WRITE)) {
      var one = java.nio.ByteBuffer.allocate(1);
      channel.read(one, offset);
      one.put(0, (byte) ~one.get(0));
      one.rewind();
      channel.write(one, offset);
    }
  }
}

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
   * The offset of every record in a segment, found by walking the frames' length fields from the
   * 64-byte header to the zero-filled end.
   */
  static List<Long> recordOffsets(Path segment) throws IOException {
    List<Long> frames = frameBoundaries(segment);
    return frames.subList(0, frames.size() - 1);
  }

  /** Where the segment's records end (its zero-filled space starts). */
  static long recordsEnd(Path segment) throws IOException {
    return frameBoundaries(segment).getLast();
  }

  /** Every record's offset, then the offset just after the last one. */
  private static List<Long> frameBoundaries(Path segment) throws IOException {
    var bytes = java.nio.ByteBuffer.wrap(Files.readAllBytes(segment));
    var boundaries = new java.util.ArrayList<Long>();
    int at = 64;
    for (; at + 8 <= bytes.limit() && bytes.getInt(at) > 0; at += 8 + bytes.getInt(at)) {
      boundaries.add((long) at);
    }
    boundaries.add((long) at);
    return boundaries;
  }

  /** Cuts the segment at {@code offset}, as a write torn there leaves it. */
  static void cutAt(Path segment, long offset) throws IOException {
    try (var channel = java.nio.channels.FileChannel.open(segment, java.nio.file.StandardOpenOption.WRITE)) {
      channel.truncate(offset);
    }
  }

  /** Cuts the segment's last {@code bytes} bytes of records (and its zero-filled tail). */
  static void cutRecordBytes(Path segment, int bytes) throws IOException {
    cutAt(segment, recordsEnd(segment) - bytes);
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

package io.chiplog.store.internal.index;

import io.chiplog.store.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * How far the persisted indexes cover the log: every position up to {@code indexedThrough} is in
 * {@code positions.idx} and in the listed runs. Recovery scans the log from the next position.
 * Written to a temporary file, forced, renamed over the old one, directory synced: a crash leaves
 * the old checkpoint or the new one, never half of one.
 *
 * <pre>
 * magic "CHIPCKPT" long, version int, run count int, indexed through long,
 * per run: name length short + UTF-8 name, crc32c int (of everything before it)
 * </pre>
 *
 * @param indexedThrough the last position covered
 * @param runFiles the run files, oldest first, relative to the index directory
 */
public record Checkpoint(long indexedThrough, List<String> runFiles) {
  static final long MAGIC = 0x43484950434b5054L;
  static final int FORMAT_VERSION = 1;
  /** The file name in the index directory. */
  public static final String FILE_NAME = "checkpoint";

  /** Copies the run names. */
  public Checkpoint {
    runFiles = List.copyOf(runFiles);
  }

  /** Reads the checkpoint in {@code directory}; null when there is none or it is unreadable. */
  public static @Nullable Checkpoint read(Path directory) throws IOException {
    Path file = directory.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
    try {
      if (in.getLong() != MAGIC || in.getInt() != FORMAT_VERSION) {
        return null;
      }
      int runs = in.getInt();
      long indexedThrough = in.getLong();
      var names = new ArrayList<String>(runs);
      for (int i = 0; i < runs; i++) {
        byte[] name = new byte[in.getShort()];
        in.get(name);
        names.add(new String(name, StandardCharsets.UTF_8));
      }
      int end = in.position();
      var crc = new CRC32C();
      crc.update(in.array(), 0, end);
      if ((int) crc.getValue() != in.getInt()) {
        return null;
      }
      return new Checkpoint(indexedThrough, names);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Writes this checkpoint into {@code directory}, atomically. */
  public void write(Path directory, FileIo fileIo) throws IOException {
    var out = ByteBuffer.allocate(32 + runFiles.stream().mapToInt(n -> 2 + n.length() * 4).sum());
    out.putLong(MAGIC).putInt(FORMAT_VERSION).putInt(runFiles.size()).putLong(indexedThrough);
    for (String name : runFiles) {
      byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
      out.putShort((short) bytes.length).put(bytes);
    }
    var crc = new CRC32C();
    crc.update(out.array(), 0, out.position());
    out.putInt((int) crc.getValue());
    Path temporary = directory.resolve(FILE_NAME + ".tmp");
    try (var channel = fileIo.openForWriting(temporary)) {
      channel.truncate(0);
      out.flip();
      while (out.hasRemaining()) {
        channel.write(out);
      }
      channel.force(/* metaData= */ true);
    }
    Files.move(temporary, directory.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
    fileIo.syncDirectory(directory);
  }
}

package io.chiplog.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Snapshots as files, one per stream, in a directory of their own. A snapshot is written to a
 * temporary file and renamed over the old one, so a crash leaves the old one or the new one; a
 * file that cannot be read is treated as no snapshot (the events are still there). Thread-safe.
 */
public final class FileSnapshotStore implements SnapshotStore {
  private static final int MAGIC = 0x43534e51; // "CSNQ": version 2, with the last event's id
  private static final int NAME_LENGTH_MAX = 200;

  private final Path directory;

  /** Keeps snapshots under {@code directory}, creating it. */
  public FileSnapshotStore(Path directory) {
    this.directory = directory;
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Optional<Snapshot> load(String entity, String stream) {
    try (InputStream file = Files.newInputStream(fileOf(entity, stream));
        var in = new DataInputStream(file)) {
      if (in.readInt() != MAGIC) {
        return Optional.empty();
      }
      String storedEntity = in.readUTF();
      String storedStream = in.readUTF();
      if (!storedEntity.equals(entity) || !storedStream.equals(stream)) {
        // Another stream's file under this name (a case-insensitive file system, a hash clash).
        return Optional.empty();
      }
      int codeVersion = in.readInt();
      long revision = in.readLong();
      var lastEventId = new java.util.UUID(in.readLong(), in.readLong());
      byte[] state = in.readNBytes(in.readInt());
      return Optional.of(new Snapshot(storedEntity, storedStream, codeVersion, revision, lastEventId, state));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException damaged) {
      // A snapshot is an optimization: a damaged one means loading from the events.
      return Optional.empty();
    }
  }

  @Override
  public void save(Snapshot snapshot) {
    Path target = fileOf(snapshot.entity(), snapshot.stream());
    try {
      Path temporary = Files.createTempFile(directory, "snapshot", ".tmp");
      try (OutputStream file = Files.newOutputStream(temporary);
          var out = new DataOutputStream(file)) {
        byte[] state = snapshot.state();
        out.writeInt(MAGIC);
        out.writeUTF(snapshot.entity());
        out.writeUTF(snapshot.stream());
        out.writeInt(snapshot.codeVersion());
        out.writeLong(snapshot.revision());
        out.writeLong(snapshot.lastEventId().getMostSignificantBits());
        out.writeLong(snapshot.lastEventId().getLeastSignificantBits());
        out.writeInt(state.length);
        out.write(state);
      }
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the snapshot of " + snapshot.stream(), e);
    }
  }

  private Path fileOf(String entity, String stream) {
    // Entity and stream names are path-safe (NamingRules); the separator keeps them apart. A
    // stream name may be 256 characters, more than a file name may be: long names are hashed
    // (the file records the real names, and load() checks them).
    String name = entity + "~" + stream;
    if (name.length() > NAME_LENGTH_MAX) {
      name = entity.substring(0, Math.min(entity.length(), 64)) + "~" + sha256(stream);
    }
    return directory.resolve(name + ".snapshot");
  }

  private static String sha256(String text) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}

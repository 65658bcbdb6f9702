package io.chiplog.store.internal.index;

import io.chiplog.store.StoreException;
import io.chiplog.store.FileIo;
import io.chiplog.store.internal.io.MappedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An immutable, memory-mapped file of keys and their positions, written from the in-heap tail at
 * a checkpoint. Layout (big-endian):
 *
 * <pre>
 *  0  magic "CHIPRUN1"   long
 *  8  format version     int     1
 * 12  key count          int
 * 16  first position     long    covered by this run (inclusive)
 * 24  last position      long    covered by this run (inclusive)
 * 32  bloom offset       long
 * 40  bloom size         int     bytes
 * 44  reserved           int
 * 48  directory offset   long
 * 56  reserved           long
 * 64  postings           long[]  per key, ascending
 *     keys               bytes   UTF-8, in directory order
 *     bloom filter       bytes   over the keys
 *     directory          per key, sorted by unsigned key bytes:
 *                        postings offset (long), key offset (long), key length (int), count (int)
 * </pre>
 *
 * Thread-safe: immutable once written.
 */
public final class IndexRun {
  static final long MAGIC = 0x4348495052554e31L;
  static final int FORMAT_VERSION = 1;
  static final int HEADER_SIZE = 64;
  static final int DIRECTORY_ENTRY_SIZE = 24;

  private final MappedFile file;
  private final int keyCount;
  private final long firstPosition;
  private final long lastPosition;
  private final long bloomOffset;
  private final int bloomSize;
  private final long directoryOffset;

  private IndexRun(MappedFile file) {
    this.file = file;
    String name = file.path().getFileName().toString();
    if (file.size() < HEADER_SIZE || file.getLong(0) != MAGIC) {
      throw new StoreException.Corrupted(name + ": not an index run (bad magic number or size " + file.size() + ")");
    }
    if (file.getInt(8) != FORMAT_VERSION) {
      throw new StoreException.Corrupted(name + ": index format version " + file.getInt(8) + " is not supported");
    }
    this.keyCount = file.getInt(12);
    this.firstPosition = file.getLong(16);
    this.lastPosition = file.getLong(24);
    this.bloomOffset = file.getLong(32);
    this.bloomSize = file.getInt(40);
    this.directoryOffset = file.getLong(48);
    if (directoryOffset + (long) keyCount * DIRECTORY_ENTRY_SIZE != file.size()) {
      throw new StoreException.Corrupted(name + ": directory of " + keyCount + " keys at " + directoryOffset
          + " does not end at the file size " + file.size());
    }
  }

  /** Maps an existing run file. */
  public static IndexRun open(Path path) {
    try {
      return new IndexRun(MappedFile.map(path));
    } catch (IOException e) {
      throw new StoreException.Failed("cannot map index run " + path + ": " + e.getMessage(), e);
    }
  }

  /** The run's file. */
  public Path path() {
    return file.path();
  }

  /** The first position the run covers. */
  public long firstPosition() {
    return firstPosition;
  }

  /** The last position the run covers. */
  public long lastPosition() {
    return lastPosition;
  }

  /** The run's size on disk. */
  public long sizeBytes() {
    return file.size();
  }

  /** The postings of {@code key} in this run, or null when the run does not hold it. */
  @Nullable Part find(byte[] key) {
    if (!BloomFilter.mayContain(file::getByte, bloomOffset, bloomSize, key)) {
      return null;
    }
    int low = 0;
    int high = keyCount - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      long entry = directoryOffset + (long) mid * DIRECTORY_ENTRY_SIZE;
      int order = compareInPlace(file.getLong(entry + 8), file.getInt(entry + 16), key);
      if (order < 0) {
        low = mid + 1;
      } else if (order > 0) {
        high = mid - 1;
      } else {
        return new Part(this, file.getLong(entry), file.getInt(entry + 20));
      }
    }
    return null;
  }

  /** Compares the key stored at {@code offset} with {@code key}, unsigned, without copying it. */
  private int compareInPlace(long offset, int length, byte[] key) {
    int common = Math.min(length, key.length);
    for (int i = 0; i < common; i++) {
      int order = Integer.compare(file.getByte(offset + i) & 0xff, key[i] & 0xff);
      if (order != 0) {
        return order;
      }
    }
    return Integer.compare(length, key.length);
  }

  long positionAt(long offset) {
    return file.getLong(offset);
  }

  /** How many keys the run holds. */
  int keyCount() {
    return keyCount;
  }

  /** The key at directory index {@code i} (keys are in unsigned byte order). */
  byte[] keyAt(int i) {
    long entry = directoryOffset + (long) i * DIRECTORY_ENTRY_SIZE;
    byte[] key = new byte[file.getInt(entry + 16)];
    file.get(file.getLong(entry + 8), key);
    return key;
  }

  /** The postings of the key at directory index {@code i}. */
  Part partAt(int i) {
    long entry = directoryOffset + (long) i * DIRECTORY_ENTRY_SIZE;
    return new Part(this, file.getLong(entry), file.getInt(entry + 20));
  }

  /**
   * The postings of one key in one run.
   *
   * @param run the run
   * @param offset where its positions start in the file
   * @param count how many
   */
  record Part(IndexRun run, long offset, int count) implements Postings.Part {
    @Override
    public long get(int index) {
      return run.positionAt(offset + (long) index * Long.BYTES);
    }
  }

  /** One key and its positions, as the writer takes them. */
  record Entry(byte[] key, LongList positions, int count) {}

  /**
   * Writes a run of {@code entries} (sorted by unsigned key bytes) covering positions {@code
   * first..last}: to a temporary file, forced, then renamed into place and the directory synced.
   */
  public static Path write(Path path, List<Entry> entries, long first, long last, FileIo fileIo) throws IOException {
    long postings = 0;
    long keyBytes = 0;
    for (Entry entry : entries) {
      postings += entry.count();
      keyBytes += entry.key().length;
    }
    long keysOffset = HEADER_SIZE + postings * Long.BYTES;
    long bloomOffset = keysOffset + keyBytes;
    int bloomSize = BloomFilter.sizeBytes(entries.size());
    long directoryOffset = bloomOffset + bloomSize;
    ByteBuffer bloom = ByteBuffer.allocate(bloomSize);
    for (Entry entry : entries) {
      BloomFilter.add(bloom, 0, bloomSize, entry.key());
    }
    Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
    try (FileChannel channel = fileIo.openForWriting(temporary)) {
      channel.truncate(0);
      var header = new SectionWriter(channel, 0);
      header.putLong(MAGIC).putInt(FORMAT_VERSION).putInt(entries.size()).putLong(first).putLong(last)
          .putLong(bloomOffset).putInt(bloomSize).putInt(0).putLong(directoryOffset).putLong(0);
      header.flush();
      var postingsOut = new SectionWriter(channel, HEADER_SIZE);
      var keysOut = new SectionWriter(channel, keysOffset);
      var directoryOut = new SectionWriter(channel, directoryOffset);
      for (Entry entry : entries) {
        directoryOut.putLong(postingsOut.offset()).putLong(keysOut.offset()).putInt(entry.key().length)
            .putInt(entry.count());
        for (int i = 0; i < entry.count(); i++) {
          postingsOut.putLong(entry.positions().get(i));
        }
        keysOut.put(entry.key());
      }
      postingsOut.flush();
      keysOut.flush();
      directoryOut.flush();
      var bloomOut = new SectionWriter(channel, bloomOffset);
      bloomOut.put(bloom.array());
      bloomOut.flush();
      channel.force(/* metaData= */ true);
    }
    Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
    fileIo.syncDirectory(path.getParent());
    return path;
  }
}

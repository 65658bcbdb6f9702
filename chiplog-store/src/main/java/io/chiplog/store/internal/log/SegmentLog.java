package io.chiplog.store.internal.log;

import io.chiplog.store.StoreException;
import io.chiplog.store.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered segment files of one store. The writer thread appends batches to the last segment
 * and rolls to a new one when it is full; readers find records by location.
 *
 * <p>A location packs a segment ordinal and a byte offset into one long ({@link #location}), so
 * the position index can hold it in eight bytes.
 *
 * <p>Appends and rolls: writer thread only. Reads: any thread.
 */
public final class SegmentLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentLog.class);
  private static final int OFFSET_BITS = 36;
  private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;

  private final Path directory;
  private final FileIo fileIo;
  private final long segmentSizeBytes;
  /**
   * Bytes zero-filled ahead of the writer. Overwriting allocated blocks lets {@code fdatasync}
   * flush data alone; a growing file also needs a journal commit for its new size and blocks,
   * which measured 2 to 5 times slower here (the reason PostgreSQL zero-fills WAL segments).
   */
  static final int PREALLOCATION_BYTES = 4 << 20;

  private final List<Segment> segments = new CopyOnWriteArrayList<>();
  private long writeOffset;

  /**
   * Zero-filling runs on its own thread, ahead of the writer, so that the writer waits for it only
   * when it catches up. The monitor guards {@code allocatedTo} and {@code preallocating}; the
   * range being filled lies past {@code allocatedTo}, where the writer never writes.
   */
  private final Object allocation = new Object();
  private final ExecutorService preallocator = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().name("chiplog-preallocator").daemon(true).factory());
  private long allocatedTo;
  private boolean preallocating;

  private SegmentLog(Path directory, FileIo fileIo, long segmentSizeBytes) {
    this.directory = directory;
    this.fileIo = fileIo;
    this.segmentSizeBytes = segmentSizeBytes;
  }

  /**
   * Opens the segments in {@code directory} (creating the first one in an empty directory).
   * Every segment is readable up to its file size; recovery then decides where the log ends.
   */
  public static SegmentLog open(Path directory, FileIo fileIo, long segmentSizeBytes) {
    var log = new SegmentLog(directory, fileIo, segmentSizeBytes);
    try {
      Files.createDirectories(directory);
      List<Path> files;
      try (Stream<Path> listing = Files.list(directory)) {
        files = listing.filter(p -> p.getFileName().toString().endsWith(SegmentLayout.SUFFIX)).sorted().toList();
      }
      for (int i = 0; i < files.size(); i++) {
        Path file = files.get(i);
        boolean last = i == files.size() - 1;
        if (last && i > 0 && Files.size(file) <= SegmentLayout.HEADER_SIZE && !hasSoundHeader(file, fileIo)) {
          // A crash while the next segment was being created: it never held a record.
          LOG.warn("{}: removing a segment whose creation did not finish ({} bytes)", file, Files.size(file));
          Files.delete(file);
          fileIo.syncDirectory(directory);
          continue;
        }
        log.segments.add(openExisting(file, fileIo, log.segments.size()));
      }
      if (log.segments.isEmpty()) {
        log.createSegment(1);
      }
      log.writeOffset = log.last().channel().size();
      synchronized (log.allocation) {
        log.allocatedTo = log.writeOffset;
      }
      return log;
    } catch (IOException e) {
      log.closeQuietly(e);
      throw new StoreException.Failed("cannot open the segments in " + directory + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      log.closeQuietly(e);
      throw e;
    }
  }

  private static Segment openExisting(Path file, FileIo fileIo, int expectedOrdinal) throws IOException {
    FileChannel channel = fileIo.openForWriting(file);
    try {
      var header = ByteBuffer.allocate(SegmentLayout.HEADER_SIZE);
      int n = channel.read(header, 0);
      if (n < SegmentLayout.HEADER_SIZE) {
        throw new StoreException.Corrupted(file.getFileName() + ": header cut short (" + Math.max(n, 0) + " of "
            + SegmentLayout.HEADER_SIZE + " bytes)");
      }
      header.flip();
      checkHeader(file, header, expectedOrdinal);
      long firstPosition = header.getLong(SegmentLayout.FIRST_POSITION_OFFSET);
      return new Segment(expectedOrdinal, firstPosition, file, channel, fileIo, channel.size());
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static boolean hasSoundHeader(Path file, FileIo fileIo) throws IOException {
    try (FileChannel channel = fileIo.openForReading(file)) {
      var header = ByteBuffer.allocate(SegmentLayout.HEADER_SIZE);
      if (channel.read(header, 0) < SegmentLayout.HEADER_SIZE) {
        return false;
      }
      return header.getLong(0) == SegmentLayout.MAGIC
          && RecordCodec.checksum(header.flip(), 0, SegmentLayout.CRC_OFFSET) == header.getInt(SegmentLayout.CRC_OFFSET);
    }
  }

  private static void checkHeader(Path file, ByteBuffer header, int expectedOrdinal) {
    String name = file.getFileName().toString();
    if (header.getLong(0) != SegmentLayout.MAGIC) {
      throw new StoreException.Corrupted(name + ": not a Chiplog segment (bad magic number)");
    }
    int crc = RecordCodec.checksum(header, 0, SegmentLayout.CRC_OFFSET);
    if (crc != header.getInt(SegmentLayout.CRC_OFFSET)) {
      throw new StoreException.Corrupted(String.format("%s: header crc32c mismatch (expected %08x, found %08x)",
          name, header.getInt(SegmentLayout.CRC_OFFSET), crc));
    }
    int version = header.getInt(SegmentLayout.VERSION_OFFSET);
    if (version != SegmentLayout.FORMAT_VERSION) {
      throw new StoreException.Corrupted(name + ": format version " + version + " is not supported (this build reads "
          + SegmentLayout.FORMAT_VERSION + ")");
    }
    int ordinal = header.getInt(SegmentLayout.ORDINAL_OFFSET);
    if (ordinal != expectedOrdinal) {
      throw new StoreException.Corrupted(name + ": ordinal " + ordinal + " where " + expectedOrdinal
          + " was expected (a segment is missing)");
    }
  }

  /** Creates the next segment, durable (file and directory entry) before it is used. */
  private Segment createSegment(long firstPosition) throws IOException {
    int ordinal = segments.size();
    Path file = directory.resolve(SegmentLayout.fileName(ordinal, firstPosition));
    FileChannel channel = fileIo.openForWriting(file);
    try {
      var header = ByteBuffer.allocate(SegmentLayout.HEADER_SIZE);
      header.putLong(0, SegmentLayout.MAGIC)
          .putInt(SegmentLayout.VERSION_OFFSET, SegmentLayout.FORMAT_VERSION)
          .putInt(SegmentLayout.HEADER_SIZE_OFFSET, SegmentLayout.HEADER_SIZE)
          .putInt(SegmentLayout.ORDINAL_OFFSET, ordinal)
          .putLong(SegmentLayout.FIRST_POSITION_OFFSET, firstPosition);
      header.putInt(SegmentLayout.CRC_OFFSET, RecordCodec.checksum(header, 0, SegmentLayout.CRC_OFFSET));
      writeFully(channel, header, 0);
      channel.truncate(SegmentLayout.HEADER_SIZE);
      channel.force(/* metaData= */ true);
      fileIo.syncDirectory(directory);
    } catch (IOException e) {
      channel.close();
      Files.deleteIfExists(file);
      throw e;
    }
    Segment segment;
    try {
      segment = new Segment(ordinal, firstPosition, file, channel, fileIo, SegmentLayout.HEADER_SIZE);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    segments.add(segment);
    writeOffset = SegmentLayout.HEADER_SIZE;
    synchronized (allocation) {
      allocatedTo = SegmentLayout.HEADER_SIZE;
    }
    return segment;
  }

  /**
   * Writes a batch of records (their first position is {@code firstPosition}) at the end of the
   * log, rolling to a new segment first when the batch does not fit the current one. Not yet
   * durable: call {@link #force()}.
   *
   * @return the location of the batch's first record
   */
  public long append(ByteBuffer records, long firstPosition) throws IOException {
    if (writeOffset > SegmentLayout.HEADER_SIZE && writeOffset + records.remaining() > segmentSizeBytes) {
      awaitPreallocation();
      seal(last());
      createSegment(firstPosition);
    }
    Segment segment = last();
    long at = writeOffset;
    long end = at + records.remaining();
    if (end > allocated()) {
      awaitPreallocation();
      if (end > allocated()) {
        zeroFill(segment, allocated(), Math.min(Math.max(end, allocated() + PREALLOCATION_BYTES),
            Math.max(end, segmentSizeBytes)));
      }
    }
    writeFully(segment.channel(), records, at);
    writeOffset = at + records.limit();
    preallocateAhead(segment);
    return location(segment.ordinal(), at);
  }

  private long allocated() {
    synchronized (allocation) {
      return allocatedTo;
    }
  }

  /** When the writer is within half a step of the zero-filled end, fills the next step in the background. */
  private void preallocateAhead(Segment segment) {
    synchronized (allocation) {
      if (preallocating || allocatedTo - writeOffset > PREALLOCATION_BYTES / 2 || allocatedTo >= segmentSizeBytes) {
        return;
      }
      preallocating = true;
      long from = allocatedTo;
      long to = Math.min(from + PREALLOCATION_BYTES, segmentSizeBytes);
      preallocator.execute(() -> {
        try {
          zeroFill(segment, from, to);
        } catch (IOException e) {
          // The writer zero-fills for itself when it gets there, and reports the failure then.
          LOG.debug("zero-filling {} from {} to {} failed: {}", segment, from, to, e.toString());
        } finally {
          synchronized (allocation) {
            preallocating = false;
            allocation.notifyAll();
          }
        }
      });
    }
  }

  /** Zero-fills {@code [from, to)} of {@code segment} and makes it durable, then extends the allocation. */
  private void zeroFill(Segment segment, long from, long to) throws IOException {
    var zeros = ByteBuffer.allocate((int) Math.min(1 << 20, to - from));
    for (long at = from; at < to; at += zeros.capacity()) {
      zeros.clear().limit((int) Math.min(zeros.capacity(), to - at));
      writeFully(segment.channel(), zeros, at);
    }
    segment.channel().force(/* metaData= */ true);
    synchronized (allocation) {
      if (segment == last() && allocatedTo == from) {
        allocatedTo = to;
      }
    }
  }

  /** Waits until no zero-fill is running, so that the writer may touch any offset. */
  private void awaitPreallocation() throws IOException {
    synchronized (allocation) {
      while (preallocating) {
        try {
          allocation.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while waiting for a zero-fill of " + last());
        }
      }
    }
  }

  /** Cuts a full segment's zero-filled tail so that its file ends with its last record. */
  private void seal(Segment segment) throws IOException {
    segment.channel().truncate(writeOffset);
    segment.channel().force(/* metaData= */ true);
  }

  /**
   * Sets where the log ends after recovery: the last segment is written from {@code offset} on,
   * and readers read up to it. Bytes after it (zeros preallocated, or a cut tail) stay as
   * preallocated space.
   */
  public void endAt(long offset) throws IOException {
    awaitPreallocation();
    Segment segment = last();
    writeOffset = offset;
    synchronized (allocation) {
      allocatedTo = segment.channel().size();
    }
    segment.markDurable(offset);
  }

  /** Forces the last segment's data to disk and lets readers see it. */
  public void force(boolean sync) throws IOException {
    Segment segment = last();
    if (sync) {
      segment.channel().force(/* metaData= */ false);
    }
    segment.markDurable(writeOffset);
  }

  /**
   * Cuts the last segment back to {@code offset}, e.g. after a failed write left part of a
   * batch behind, or when recovery cuts a torn tail.
   */
  public void truncateLast(long offset) throws IOException {
    awaitPreallocation();
    Segment segment = last();
    segment.channel().truncate(offset);
    segment.channel().force(/* metaData= */ true);
    segment.markDurable(offset);
    writeOffset = offset;
    synchronized (allocation) {
      allocatedTo = offset;
    }
  }

  /** Reads the record at {@code location}, or reports the damage found there. */
  public LogRecordOrDamage read(long location) throws IOException {
    Segment segment = segment(location);
    long offset = offsetOf(location);
    var buffer = ByteBuffer.allocate(512);
    int n = segment.read(buffer, offset);
    buffer.flip();
    int length = RecordCodec.frameLength(buffer);
    if (length < 0 || length > RecordLayout.RECORD_SIZE_MAX) {
      return new LogRecordOrDamage(null, segment, offset, n);
    }
    int size = RecordLayout.FRAME_SIZE + length;
    if (size > buffer.limit()) {
      buffer = ByteBuffer.allocate(size);
      segment.read(buffer, offset);
      buffer.flip();
    } else {
      buffer.limit(size);
    }
    return new LogRecordOrDamage(RecordCodec.decode(buffer), segment, offset, size);
  }

  /** A read that found either a record or damage at its location. */
  public record LogRecordOrDamage(@Nullable LogRecord record, Segment segment, long offset, int sizeBytes) {}

  /** The segments in log order; the last one is being written. */
  public List<Segment> segments() {
    return List.copyOf(segments);
  }

  /** The segment of a location. */
  public Segment segment(long location) {
    return segments.get(ordinalOf(location));
  }

  /** The segment being written. */
  public Segment last() {
    return segments.get(segments.size() - 1);
  }

  /** The end of the written data in the last segment. */
  public long writeOffset() {
    return writeOffset;
  }

  /** Total bytes of all segment files. */
  public long sizeBytes() {
    long total = 0;
    for (Segment segment : segments) {
      total += segment.durableSize();
    }
    return total;
  }

  /** Packs a segment ordinal and an offset. */
  public static long location(int ordinal, long offset) {
    return ((long) ordinal << OFFSET_BITS) | offset;
  }

  /** The segment ordinal of a location. */
  public static int ordinalOf(long location) {
    return (int) (location >>> OFFSET_BITS);
  }

  /** The byte offset of a location. */
  public static long offsetOf(long location) {
    return location & OFFSET_MASK;
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer, long at) throws IOException {
    long offset = at;
    while (buffer.hasRemaining()) {
      offset += channel.write(buffer, offset);
    }
  }

  @Override
  public void close() {
    preallocator.shutdown();
    try {
      preallocator.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    var errors = new ArrayList<IOException>();
    for (Segment segment : segments) {
      try {
        segment.close();
      } catch (IOException e) {
        errors.add(e);
      }
    }
    if (!errors.isEmpty()) {
      var failure = new StoreException.Failed("closing the segments in " + directory + " failed", errors.getFirst());
      errors.stream().skip(1).forEach(failure::addSuppressed);
      throw failure;
    }
  }

  private void closeQuietly(Exception cause) {
    preallocator.shutdownNow();
    for (Segment segment : segments) {
      try {
        segment.close();
      } catch (IOException e) {
        cause.addSuppressed(e);
      }
    }
  }
}

package io.chiplog.store.internal.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Reads one segment sequentially through a large buffer, checking every record's frame and
 * checksum. Used by recovery, {@code verify}, and reads of everything from a position.
 *
 * <p>{@link #next()} returns records until the end offset; at damage (a frame cut short, an
 * impossible length, a checksum mismatch) it returns null and {@link #damage()} says what and
 * where. Not thread-safe; one reader.
 */
public final class LogScanner {
  /** A first read is small (a subscription near the head wants a few records); the buffer doubles as the scan goes on. */
  private static final int BUFFER_BYTES_FIRST = 1 << 13;
  private static final int BUFFER_BYTES_MAX = 1 << 20;

  private final Segment segment;
  private final long endOffset;
  private ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES_FIRST).limit(0);
  private long bufferStart;
  private long recordOffset;
  private @Nullable String damage;

  /** Scans {@code segment} from {@code fromOffset} (a record boundary) to {@code endOffset}. */
  public LogScanner(Segment segment, long fromOffset, long endOffset) {
    this.segment = segment;
    this.endOffset = endOffset;
    this.bufferStart = fromOffset;
    this.recordOffset = fromOffset;
  }

  /** The next sound record, or null at the end or at damage. */
  public @Nullable LogRecord next() throws IOException {
    long offset = bufferStart + buffer.position();
    if (offset >= endOffset || damage != null) {
      return null;
    }
    recordOffset = offset;
    if (!fill(RecordLayout.FRAME_SIZE)) {
      return damaged("a record frame cut short (" + (endOffset - offset) + " bytes left)");
    }
    int length = buffer.getInt(buffer.position());
    if (length < RecordLayout.PAYLOAD_OFFSET - RecordLayout.FRAME_SIZE || length > RecordLayout.RECORD_SIZE_MAX) {
      return damaged("an impossible record length " + length);
    }
    int size = RecordLayout.FRAME_SIZE + length;
    if (!fill(size)) {
      return damaged("a record cut short (" + size + " bytes declared, " + (endOffset - offset) + " left)");
    }
    var frame = buffer.duplicate().limit(buffer.position() + size);
    LogRecord record = RecordCodec.decode(frame);
    if (record == null) {
      return damaged(String.format("crc32c mismatch (expected %08x)", buffer.getInt(buffer.position() + RecordLayout.CRC_OFFSET)));
    }
    buffer.position(buffer.position() + size);
    return record;
  }

  /** Makes {@code bytes} bytes available from the buffer's position; false if the segment ends first. */
  private boolean fill(int bytes) throws IOException {
    if (buffer.remaining() >= bytes) {
      return true;
    }
    long offset = bufferStart + buffer.position();
    if (offset + bytes > endOffset) {
      return false;
    }
    if (buffer.capacity() < bytes || buffer.capacity() < BUFFER_BYTES_MAX) {
      buffer = ByteBuffer.allocate(Math.max(bytes, Math.min(buffer.capacity() * 2, BUFFER_BYTES_MAX)));
    }
    buffer.clear();
    buffer.limit((int) Math.min(buffer.capacity(), endOffset - offset));
    segment.read(buffer, offset);
    buffer.flip();
    bufferStart = offset;
    return buffer.remaining() >= bytes;
  }

  private @Nullable LogRecord damaged(String what) {
    damage = String.format("segment %s: %s at offset %d", segment, what, recordOffset);
    return null;
  }

  /** The offset of the record last returned, or of the damage found. */
  public long recordOffset() {
    return recordOffset;
  }

  /** What was wrong where the scan stopped early, or null if it has not. */
  public @Nullable String damage() {
    return damage;
  }
}

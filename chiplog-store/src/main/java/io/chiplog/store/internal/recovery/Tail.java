package io.chiplog.store.internal.recovery;

import io.chiplog.store.internal.log.LogRecord;
import io.chiplog.store.internal.log.LogScanner;
import io.chiplog.store.internal.log.RecordCodec;
import io.chiplog.store.internal.log.RecordLayout;
import io.chiplog.store.internal.log.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Looking past damage at the end of the log, to tell a torn write from corruption. Only recovery
 * uses it, and only when it met damage, so it may read the rest of a segment.
 */
final class Tail {
  private static final int WINDOW_BYTES = 1 << 20;

  private Tail() {}

  /** A sound record found past damage, and its offset. */
  record Found(LogRecord record, long offset) {}

  /** Whether every byte of {@code [from, end)} is zero: preallocated space, not damage. */
  static boolean isZero(Segment segment, long from, long end) throws IOException {
    var buffer = ByteBuffer.allocate(WINDOW_BYTES);
    for (long at = from; at < end; at += WINDOW_BYTES) {
      buffer.clear().limit((int) Math.min(WINDOW_BYTES, end - at));
      int n = segment.read(buffer, at);
      for (int i = 0; i < n; i++) {
        if (buffer.get(i) != 0) {
          return false;
        }
      }
    }
    return true;
  }

  /** Just past the last non-zero byte of {@code [from, end)}: where written data ends. */
  static long dataEnd(Segment segment, long from, long end) throws IOException {
    var buffer = ByteBuffer.allocate(WINDOW_BYTES);
    for (long windowEnd = end; windowEnd > from; windowEnd -= WINDOW_BYTES) {
      long windowStart = Math.max(from, windowEnd - WINDOW_BYTES);
      buffer.clear().limit((int) (windowEnd - windowStart));
      int n = segment.read(buffer, windowStart);
      for (int i = n - 1; i >= 0; i--) {
        if (buffer.get(i) != 0) {
          return windowStart + i + 1;
        }
      }
    }
    return from;
  }

  /**
   * The first sound record at or after {@code from} whose position is at least {@code
   * minPosition}, found by trying every offset: after damage the frame lengths cannot be trusted.
   * Offsets whose position field is implausible are skipped without computing a checksum.
   */
  static @Nullable Found findNextSoundRecord(Segment segment, long from, long end, long minPosition) throws IOException {
    long maxPosition = minPosition + (end - from) / RecordLayout.PAYLOAD_OFFSET + 1;
    var window = ByteBuffer.allocate(WINDOW_BYTES);
    for (long start = from; start + RecordLayout.PAYLOAD_OFFSET <= end; start += WINDOW_BYTES - RecordLayout.PAYLOAD_OFFSET) {
      window.clear().limit((int) Math.min(WINDOW_BYTES, end - start));
      int n = segment.read(window, start);
      for (int i = 0; i + RecordLayout.PAYLOAD_OFFSET <= n; i++) {
        int length = window.getInt(i + RecordLayout.LENGTH_OFFSET);
        long position = window.getLong(i + RecordLayout.POSITION_OFFSET);
        if (position < minPosition || position > maxPosition || length < RecordLayout.PAYLOAD_OFFSET - RecordLayout.FRAME_SIZE
            || length > RecordLayout.RECORD_SIZE_MAX || start + i + RecordLayout.FRAME_SIZE + length > end) {
          continue;
        }
        var frame = ByteBuffer.allocate(RecordLayout.FRAME_SIZE + length);
        segment.read(frame, start + i);
        LogRecord record = RecordCodec.decode(frame.flip());
        if (record != null) {
          return new Found(record, start + i);
        }
      }
    }
    return null;
  }

  /** Whether a sound record of a commit later than {@code commit} follows {@code offset}. */
  static boolean laterCommitFollows(Segment segment, long offset, long end, long commit) throws IOException {
    var scanner = new LogScanner(segment, offset, end);
    for (LogRecord record = scanner.next(); record != null; record = scanner.next()) {
      if (record.commitPosition() > commit) {
        return true;
      }
    }
    return false;
  }
}

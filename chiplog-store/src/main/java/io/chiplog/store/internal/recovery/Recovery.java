package io.chiplog.store.internal.recovery;

import io.chiplog.api.RecordedEvent;
import io.chiplog.store.StoreException;
import io.chiplog.store.internal.index.KeyIndex;
import io.chiplog.store.internal.index.PositionIndex;
import io.chiplog.store.internal.log.LogRecord;
import io.chiplog.store.internal.log.LogScanner;
import io.chiplog.store.internal.log.RecordLayout;
import io.chiplog.store.internal.log.Segment;
import io.chiplog.store.internal.log.SegmentLayout;
import io.chiplog.store.internal.log.SegmentLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the indexes level with the log after open: scans the log from the position after the
 * checkpoint to its end, adds every record to the indexes, and decides what damage means.
 *
 * <p>Damage in the last segment with no sound record after it is a torn tail — the batch that
 * was being written when the process died, never acknowledged — and is cut off and logged.
 * Damage followed by a sound record, or in any earlier segment, is corruption: recovery refuses to
 * open rather than lose or invent acknowledged events.
 */
public final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  /**
   * What recovery found.
   *
   * @param head the last position in the log
   * @param scannedEvents events scanned and indexed after the checkpoint
   * @param cutBytes bytes of torn tail cut off (0 when the log ended cleanly)
   */
  public record Outcome(long head, long scannedEvents, long cutBytes) {}

  /**
   * The index checkpoint does not fit the log (its last record is gone or damaged): the index
   * cannot be trusted and must be rebuilt from the log.
   */
  public static final class StaleCheckpoint extends RuntimeException {
    @java.io.Serial private static final long serialVersionUID = 1L;

    StaleCheckpoint(String message) {
      super(message);
    }
  }

  private Recovery() {}

  /** Scans the log after position {@code checkpointed} into the indexes. */
  public static Outcome run(SegmentLog log, PositionIndex positions, KeyIndex keys, long checkpointed) throws IOException {
    List<Segment> segments = log.segments();
    int ordinal = 0;
    long offset = SegmentLayout.HEADER_SIZE;
    if (checkpointed > 0) {
      long location = positions.location(checkpointed);
      ordinal = SegmentLog.ordinalOf(location);
      var found = log.read(location);
      if (found.record() == null || found.record().event().position() != checkpointed) {
        throw new StaleCheckpoint("segment " + found.segment() + ": the checkpointed record of position "
            + checkpointed + " at offset " + found.offset() + " is damaged or missing");
      }
      offset = SegmentLog.offsetOf(location) + found.sizeBytes();
    }
    long expected = checkpointed + 1;
    long scanned = 0;
    for (; ordinal < segments.size(); ordinal++) {
      Segment segment = segments.get(ordinal);
      if (segment.firstPosition() != expected && offset == SegmentLayout.HEADER_SIZE) {
        throw new StoreException.Corrupted("segment " + segment + " starts at position " + segment.firstPosition()
            + " where " + expected + " was expected");
      }
      long end = segment.fileSize();
      var scanner = new LogScanner(segment, offset, end);
      for (LogRecord record = scanner.next(); record != null; record = scanner.next()) {
        RecordedEvent event = record.event();
        if (event.position() != expected) {
          throw new StoreException.Corrupted("segment " + segment + ": position " + event.position() + " at offset "
              + scanner.recordOffset() + " where " + expected + " was expected");
        }
        positions.add(SegmentLog.location(ordinal, scanner.recordOffset()));
        index(keys, event);
        expected++;
        scanned++;
      }
      String damage = scanner.damage();
      if (damage != null) {
        boolean last = ordinal == segments.size() - 1;
        if (!last || soundRecordFollows(segment, scanner.recordOffset(), end, expected)) {
          throw new StoreException.Corrupted(damage + ": not a torn tail, the log continues after it; run verify");
        }
        long cut = end - scanner.recordOffset();
        LOG.warn("{}: cutting a torn tail of {} bytes at offset {} ({}); the last intact position is {}",
            segment, cut, scanner.recordOffset(), damage, expected - 1);
        log.truncateLast(scanner.recordOffset());
        return new Outcome(expected - 1, scanned, cut);
      }
      offset = SegmentLayout.HEADER_SIZE;
    }
    log.force(false);
    return new Outcome(expected - 1, scanned, 0);
  }

  /** Adds an event's keys to the key index. */
  static void index(KeyIndex keys, RecordedEvent event) {
    String stream = event.stream();
    if (stream != null) {
      keys.add(KeyIndex.streamKey(stream), event.position());
    }
    keys.add(KeyIndex.typeKey(event.type()), event.position());
    for (String tag : event.tags()) {
      keys.add(KeyIndex.tagKey(tag), event.position());
    }
    keys.add(KeyIndex.idKey(event.id()), event.position());
  }

  /**
   * Whether a sound record with the expected next position follows a damaged one whose length
   * field is plausible: then the damage is a flipped bit inside the log, not a torn write.
   */
  private static boolean soundRecordFollows(Segment segment, long damagedAt, long end, long expected) throws IOException {
    var frame = ByteBuffer.allocate(RecordLayout.FRAME_SIZE);
    if (segment.read(frame, damagedAt) < RecordLayout.FRAME_SIZE) {
      return false;
    }
    int length = frame.getInt(0);
    long nextAt = damagedAt + RecordLayout.FRAME_SIZE + length;
    if (length < RecordLayout.PAYLOAD_OFFSET - RecordLayout.FRAME_SIZE || nextAt >= end) {
      return false;
    }
    var scanner = new LogScanner(segment, nextAt, end);
    LogRecord next = scanner.next();
    return next != null && next.event().position() == expected + 1;
  }

}

package io.chiplog.store.internal.recovery;

import io.chiplog.api.RecordedEvent;
import io.chiplog.store.StoreException;
import io.chiplog.store.internal.index.KeyIndex;
import io.chiplog.store.internal.index.PositionIndex;
import io.chiplog.store.internal.log.LogRecord;
import io.chiplog.store.internal.log.LogScanner;
import io.chiplog.store.internal.log.Segment;
import io.chiplog.store.internal.log.SegmentLayout;
import io.chiplog.store.internal.log.SegmentLog;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the indexes level with the log after open: scans the log from the position after the
 * checkpoint to its end, adds every record to the indexes, and decides what damage means.
 *
 * <p>The writer makes one group commit durable (one {@code fsync}) before it starts the next, and
 * every record carries the first position of its commit. So damage in the last segment that is
 * followed by nothing sound, or only by records of the same commit, is that commit's torn write —
 * never acknowledged — and is cut off, together with the start of an append it tore, so that no
 * part of an append survives without the rest. Damage followed by a record of a later commit, or
 * in any earlier segment, is corruption of acknowledged data: recovery refuses to open rather
 * than lose or invent events. Zeros to the end of a segment are its preallocated space.
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

    /** Creates the signal, saying what does not fit. */
    public StaleCheckpoint(String message) {
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
    var scan = new Scan(positions, keys, checkpointed + 1);
    for (; ordinal < segments.size(); ordinal++) {
      Segment segment = segments.get(ordinal);
      boolean last = ordinal == segments.size() - 1;
      if (offset == SegmentLayout.HEADER_SIZE && segment.firstPosition() != scan.expected) {
        throw new StoreException.Corrupted("segment " + segment + " starts at position " + segment.firstPosition()
            + " where " + scan.expected + " was expected");
      }
      long end = segment.fileSize();
      var scanner = new LogScanner(segment, offset, end);
      scan.segment(segment, ordinal, offset);
      for (LogRecord record = scanner.next(); record != null; record = scanner.next()) {
        scan.add(record, scanner.recordOffset());
      }
      long soundEnd = scanner.damage() == null ? end : scanner.recordOffset();
      boolean damaged = scanner.damage() != null && !Tail.isZero(segment, soundEnd, end);
      if (!last) {
        if (damaged) {
          throw new StoreException.Corrupted(scanner.damage() + " in a sealed segment; run verify");
        }
        segment.markDurable(soundEnd);
        offset = SegmentLayout.HEADER_SIZE;
        continue;
      }
      if (damaged) {
        checkTornNotCorrupt(segment, soundEnd, end, scan.expected, scanner.damage());
      }
      return finish(log, keys, positions, scan, segment, soundEnd, end, damaged ? scanner.damage() : null);
    }
    throw new IllegalStateException("the log has no segment");
  }

  /** Throws when the damage at {@code damagedAt} is followed by a later, hence acknowledged, commit. */
  private static void checkTornNotCorrupt(Segment segment, long damagedAt, long end, long expected, String damage)
      throws IOException {
    Tail.Found next = Tail.findNextSoundRecord(segment, damagedAt + 1, end, expected);
    if (next == null) {
      return;
    }
    long commit = next.record().commitPosition();
    if (commit > expected || Tail.laterCommitFollows(segment, next.offset(), end, commit)) {
      throw new StoreException.Corrupted(damage + ": not a torn tail, a later commit (position "
          + next.record().event().position() + " at offset " + next.offset() + ") follows it; run verify");
    }
  }

  /**
   * Ends the log at the last whole append: cuts the torn tail, and the start of an append the
   * tail tore through, and logs what was cut.
   */
  private static Outcome finish(SegmentLog log, KeyIndex keys, PositionIndex positions, Scan scan, Segment segment,
      long soundEnd, long end, @Nullable String damage) throws IOException {
    long cutAt = soundEnd;
    long head = scan.expected - 1;
    if (scan.lastAppendIncomplete()) {
      cutAt = scan.appendStartOffset;
      head = scan.appendStartPosition - 1;
      positions.truncateAbove(head);
      keys.truncateAbove(head);
    }
    if (damage == null && cutAt == soundEnd) {
      log.endAt(soundEnd);
      return new Outcome(head, scan.scanned, 0);
    }
    long cut = Tail.dataEnd(segment, cutAt, end) - cutAt;
    LOG.warn("{}: cutting a torn tail of {} bytes at offset {} ({}); the last intact position is {}", segment, cut,
        cutAt, damage != null ? damage : "an append cut short", head);
    log.truncateLast(cutAt);
    return new Outcome(head, scan.scanned - (scan.expected - 1 - head), cut);
  }

  /** The state of the scan: what was indexed, and where the newest append began. */
  private static final class Scan {
    private final PositionIndex positions;
    private final KeyIndex keys;
    private long expected;
    private long scanned;
    private int ordinal;
    private @Nullable Segment segment;
    private long appendStartOffset;
    private long appendStartPosition;
    private @Nullable LogRecord lastRecord;

    Scan(PositionIndex positions, KeyIndex keys, long expected) {
      this.positions = positions;
      this.keys = keys;
      this.expected = expected;
    }

    void segment(Segment next, int nextOrdinal, long offset) {
      segment = next;
      ordinal = nextOrdinal;
      appendStartOffset = offset;
      appendStartPosition = expected;
      lastRecord = null;
    }

    void add(LogRecord record, long offset) {
      RecordedEvent event = record.event();
      if (event.position() != expected) {
        throw new StoreException.Corrupted("segment " + segment + ": position " + event.position() + " at offset "
            + offset + " where " + expected + " was expected");
      }
      if (record.batchIndex() == 0) {
        appendStartOffset = offset;
        appendStartPosition = event.position();
      }
      positions.add(SegmentLog.location(ordinal, offset));
      keys.addEvent(event.id(), event.type(), event.tags(), event.stream(), event.position());
      lastRecord = record;
      expected++;
      scanned++;
    }

    boolean lastAppendIncomplete() {
      return lastRecord != null && lastRecord.batchIndex() < lastRecord.batchSize() - 1;
    }
  }

}

package io.chiplog.store.internal.recovery;

import io.chiplog.api.RecordedEvent;
import io.chiplog.store.VerifyReport;
import io.chiplog.store.internal.index.KeyIndex;
import io.chiplog.store.internal.index.PositionIndex;
import io.chiplog.store.internal.log.LogRecord;
import io.chiplog.store.internal.log.LogScanner;
import io.chiplog.store.internal.log.Segment;
import io.chiplog.store.internal.log.SegmentLayout;
import io.chiplog.store.internal.log.SegmentLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a whole store up to its head: every record's frame and checksum, consecutive positions,
 * and that the position and key indexes agree with the log. Reports problems instead of
 * throwing, up to {@link #PROBLEMS_MAX}. Reads only; safe beside a running writer.
 */
public final class Verifier {
  /** Problems listed before the verifier stops listing. */
  public static final int PROBLEMS_MAX = 100;

  private Verifier() {}

  /** Verifies positions 1..{@code head}. */
  public static VerifyReport verify(SegmentLog log, PositionIndex positions, KeyIndex keys, long head) {
    var problems = new ArrayList<String>();
    long expected = 1;
    int segmentsChecked = 0;
    List<Segment> segments = log.segments();
    for (int ordinal = 0; ordinal < segments.size() && expected <= head && problems.size() < PROBLEMS_MAX; ordinal++) {
      Segment segment = segments.get(ordinal);
      segmentsChecked++;
      var scanner = new LogScanner(segment, SegmentLayout.HEADER_SIZE, segment.durableSize());
      try {
        for (LogRecord record = scanner.next(); record != null && expected <= head; record = scanner.next()) {
          RecordedEvent event = record.event();
          if (event.position() != expected) {
            problems.add("segment " + segment + ": position " + event.position() + " at offset "
                + scanner.recordOffset() + " where " + expected + " was expected");
            expected = event.position();
          }
          checkIndexes(positions, keys, event, SegmentLog.location(ordinal, scanner.recordOffset()), problems);
          expected++;
        }
        if (scanner.damage() != null) {
          problems.add(scanner.damage());
          // Positions of this segment after the damage cannot be reached by scanning; skip ahead.
          if (ordinal + 1 < segments.size()) {
            expected = segments.get(ordinal + 1).firstPosition();
          } else {
            break;
          }
        }
      } catch (IOException e) {
        problems.add("segment " + segment + ": read failed: " + e.getMessage());
      }
    }
    if (expected <= head && problems.isEmpty()) {
      problems.add("the log ends at position " + (expected - 1) + " but the head is " + head);
    }
    return new VerifyReport(Math.max(0, expected - 1), segmentsChecked, problems);
  }

  private static void checkIndexes(PositionIndex positions, KeyIndex keys, RecordedEvent event, long location, List<String> problems) {
    long position = event.position();
    if (position <= positions.count() && positions.location(position) != location) {
      problems.add("position index: position " + position + " points to " + positions.location(position)
          + " but the record is at " + location);
    }
    check(keys, KeyIndex.typeKey(event.type()), position, "type " + event.type(), problems);
    if (problems.size() < PROBLEMS_MAX && keys.positionOfId(event.id()) != position) {
      problems.add("key index: id " + event.id() + " does not lead to position " + position);
    }
    for (String tag : event.tags()) {
      check(keys, KeyIndex.tagKey(tag), position, "tag " + tag, problems);
    }
    if (event.stream() != null) {
      var stream = keys.postings(KeyIndex.streamKey(event.stream()));
      if (event.revision() >= stream.size() || stream.get(event.revision()) != position) {
        problems.add("key index: stream " + event.stream() + " revision " + event.revision()
            + " does not lead to position " + position);
      }
    }
  }

  private static void check(KeyIndex keys, String key, long position, String what, List<String> problems) {
    if (problems.size() < PROBLEMS_MAX && !keys.postings(key).contains(position)) {
      problems.add("key index: " + what + " lacks position " + position);
    }
  }
}

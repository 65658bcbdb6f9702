package io.chiplog.store.internal.read;

import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.spi.CatchUpSubscription;
import io.chiplog.store.StoreException;
import io.chiplog.store.internal.index.PositionIndex;
import io.chiplog.store.internal.index.Postings;
import io.chiplog.store.internal.log.LogRecord;
import io.chiplog.store.internal.log.LogScanner;
import io.chiplog.store.internal.log.Segment;
import io.chiplog.store.internal.log.SegmentLayout;
import io.chiplog.store.internal.log.SegmentLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * Reads events for queries, streams and subscriptions, as of a head position the caller read
 * first: nothing above it is returned, so a read never shows part of an append. Reads of
 * everything go through the log sequentially; selective reads go through the key index and read
 * only matching records. Thread-safe.
 */
public final class EventReader {
  /**
   * A subscription page also ends once its events' data reaches this many bytes: a subscriber
   * that stalls holds one page, which must stay small even when events are large (4 MiB each
   * under the default limits would make a 512-event page 2 GiB).
   */
  public static final long PAGE_DATA_BYTES_MAX = 8L << 20;

  private final SegmentLog log;
  private final PositionIndex positions;
  private final QueryMatcher matcher;

  /** A reader over the log and its indexes. */
  public EventReader(SegmentLog log, PositionIndex positions, QueryMatcher matcher) {
    this.log = log;
    this.positions = positions;
    this.matcher = matcher;
  }

  /**
   * The record at {@code position}.
   *
   * @throws StoreException.Corrupted when its frame or checksum is damaged
   */
  public LogRecord recordAt(long position) {
    long location = positions.location(position);
    try {
      var found = log.read(location);
      LogRecord record = found.record();
      if (record == null || record.event().position() != position) {
        throw new StoreException.Corrupted(String.format(
            "segment %s: record of position %d at offset %d is damaged (%s); it is not returned, run verify",
            found.segment(), position, found.offset(),
            record == null ? "bad frame or crc32c mismatch" : "it holds position " + record.event().position()));
      }
      return record;
    } catch (IOException e) {
      throw new StoreException.Failed("reading position " + position + " failed: " + e.getMessage(), e);
    }
  }

  /** The events matching {@code query} as of {@code head}, lazily. */
  public Stream<RecordedEvent> read(Query query, ReadOptions options, long head) {
    Iterator<RecordedEvent> events;
    if (options.limit() == 0 || head == 0) {
      events = java.util.Collections.emptyIterator();
    } else if (options.isForwards()) {
      long from = Math.max(options.from(), 1);
      events = from > head ? java.util.Collections.emptyIterator()
          : query.matchesAll() ? new Scan(from, head) : byPosition(matcher.ascending(query, from, head));
    } else {
      long from = Math.min(options.from(), head);
      events = query.matchesAll() ? byPosition(descendingFrom(from)) : byPosition(matcher.descending(query, from, head));
    }
    return stream(limited(events, options.limit()));
  }

  /** The events of a stream whose postings are {@code stream}, as of {@code head}, by revision. */
  public Stream<RecordedEvent> readStream(Postings stream, ReadOptions options, long head) {
    long lastRevision = stream.lowerBound(head + 1) - 1;
    PositionCursor revisions;
    if (options.isForwards()) {
      revisions = new PositionCursor() {
        long revision = options.from();

        @Override
        public long next() {
          return revision <= lastRevision ? stream.get(revision++) : DONE;
        }
      };
    } else {
      revisions = new PositionCursor() {
        long revision = Math.min(options.from(), lastRevision);

        @Override
        public long next() {
          return revision >= 0 ? stream.get(revision--) : DONE;
        }
      };
    }
    return stream(limited(byPosition(revisions), options.limit()));
  }

  /** One page for a subscription: at most {@code max} matching events from {@code from}. */
  public CatchUpSubscription.Page page(Query query, long from, int max, long head) {
    var events = new ArrayList<RecordedEvent>(Math.min(max, 256));
    long dataBytes = 0;
    if (from <= head) {
      Iterator<RecordedEvent> matching = query.matchesAll()
          ? new Scan(from, head) : byPosition(matcher.ascending(query, from, head));
      while (events.size() < max && dataBytes < PAGE_DATA_BYTES_MAX && matching.hasNext()) {
        RecordedEvent event = matching.next();
        events.add(event);
        dataBytes += event.dataSize();
      }
    }
    boolean cut = events.size() == max || dataBytes >= PAGE_DATA_BYTES_MAX;
    long scanned = cut ? events.getLast().position() : Math.max(head, from - 1);
    return new CatchUpSubscription.Page(events, scanned);
  }

  private static PositionCursor descendingFrom(long from) {
    return new PositionCursor() {
      long position = from;

      @Override
      public long next() {
        return position >= 1 ? position-- : DONE;
      }
    };
  }

  private Iterator<RecordedEvent> byPosition(PositionCursor cursor) {
    return new Iterator<>() {
      long next = cursor.next();

      @Override
      public boolean hasNext() {
        return next != PositionCursor.DONE;
      }

      @Override
      public RecordedEvent next() {
        if (next == PositionCursor.DONE) {
          throw new NoSuchElementException();
        }
        RecordedEvent event = recordAt(next).event();
        next = cursor.next();
        return event;
      }
    };
  }

  private static Iterator<RecordedEvent> limited(Iterator<RecordedEvent> events, int limit) {
    if (limit == ReadOptions.NO_LIMIT) {
      return events;
    }
    return new Iterator<>() {
      int left = limit;

      @Override
      public boolean hasNext() {
        return left > 0 && events.hasNext();
      }

      @Override
      public RecordedEvent next() {
        if (left <= 0) {
          throw new NoSuchElementException();
        }
        left--;
        return events.next();
      }
    };
  }

  private static Stream<RecordedEvent> stream(Iterator<RecordedEvent> events) {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(events, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  /** Every event from a position to the head, read sequentially segment after segment. */
  private final class Scan implements Iterator<RecordedEvent> {
    private final long last;
    private long expected;
    private int ordinal;
    private LogScanner scanner;
    private @Nullable RecordedEvent next;
    private boolean fetched;

    Scan(long from, long last) {
      this.last = last;
      this.expected = from;
      long location = positions.location(from);
      this.ordinal = SegmentLog.ordinalOf(location);
      Segment segment = log.segments().get(ordinal);
      this.scanner = new LogScanner(segment, SegmentLog.offsetOf(location), segment.durableSize());
    }

    /** Reads the next record only when asked, so a limited read never trips on what lies after it. */
    private void advance() {
      fetched = true;
      next = null;
      if (expected > last) {
        return;
      }
      try {
        LogRecord record = scanner.next();
        while (record == null) {
          String damage = scanner.damage();
          if (damage != null) {
            throw new StoreException.Corrupted(damage + " (reading position " + expected + "); run verify");
          }
          List<Segment> segments = log.segments();
          if (++ordinal >= segments.size()) {
            throw new StoreException.Corrupted("the log ends before position " + expected + " of head " + last);
          }
          Segment segment = segments.get(ordinal);
          scanner = new LogScanner(segment, SegmentLayout.HEADER_SIZE, segment.durableSize());
          record = scanner.next();
        }
        if (record.event().position() != expected) {
          throw new StoreException.Corrupted("segment " + log.segments().get(ordinal) + ": position "
              + record.event().position() + " where " + expected + " was expected");
        }
        next = record.event();
        expected++;
      } catch (IOException e) {
        throw new StoreException.Failed("reading position " + expected + " from segment "
            + log.segments().get(ordinal) + " failed: " + e, e);
      }
    }

    @Override
    public boolean hasNext() {
      if (!fetched) {
        advance();
      }
      return next != null;
    }

    @Override
    public RecordedEvent next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      fetched = false;
      return next;
    }
  }
}

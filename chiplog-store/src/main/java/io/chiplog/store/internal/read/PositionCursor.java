package io.chiplog.store.internal.read;

import io.chiplog.store.internal.index.Postings;
import java.util.List;

/** Positions in one direction, without duplicates; {@link #DONE} after the last. */
interface PositionCursor {
  long DONE = -1;

  /** The next position, or {@link #DONE}. */
  long next();

  /** The positions of {@code postings} from {@code from} up to {@code last}, ascending. */
  static PositionCursor ascending(Postings postings, long from, long last) {
    return new PositionCursor() {
      long index = postings.lowerBound(from);

      @Override
      public long next() {
        if (index >= postings.size()) {
          return DONE;
        }
        long position = postings.get(index++);
        return position <= last ? position : DONE;
      }
    };
  }

  /** The positions of {@code postings} from {@code from} down to 1, descending. */
  static PositionCursor descending(Postings postings, long from) {
    return new PositionCursor() {
      long index = from == Long.MAX_VALUE ? postings.size() - 1 : postings.lowerBound(from + 1) - 1;

      @Override
      public long next() {
        return index >= 0 ? postings.get(index--) : DONE;
      }
    };
  }

  /** The union of cursors running in the same direction, each position once. */
  static PositionCursor union(List<PositionCursor> cursors, boolean ascending) {
    if (cursors.size() == 1) {
      return cursors.getFirst();
    }
    long[] heads = new long[cursors.size()];
    for (int i = 0; i < heads.length; i++) {
      heads[i] = cursors.get(i).next();
    }
    return () -> {
      long best = DONE;
      for (long head : heads) {
        if (head != DONE && (best == DONE || (ascending ? head < best : head > best))) {
          best = head;
        }
      }
      if (best != DONE) {
        for (int i = 0; i < heads.length; i++) {
          if (heads[i] == best) {
            heads[i] = cursors.get(i).next();
          }
        }
      }
      return best;
    };
  }
}

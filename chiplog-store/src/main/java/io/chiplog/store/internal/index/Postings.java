package io.chiplog.store.internal.index;

import java.util.List;

/**
 * The positions of one key: parts in the runs (oldest first), then in frozen memtables, then in
 * the active memtable. Every part holds ascending positions above those of the parts before it,
 * so the whole is one ascending sequence addressed by index; for a stream, the index is the
 * revision.
 *
 * <p>An immutable view: each memtable part's size is read once, when the view is made.
 */
public final class Postings {
  /** A key nobody wrote. */
  public static final Postings EMPTY = new Postings(List.of());

  /** One ascending piece of a key's positions. */
  sealed interface Part permits IndexRun.Part, ListPart {
    int count();

    long get(int index);
  }

  /** Positions in a memtable list, up to the size seen when the view was made. */
  record ListPart(LongList list, int count) implements Part {
    @Override
    public long get(int index) {
      return list.get(index);
    }
  }

  private final List<Part> parts;
  private final long[] partStarts;
  private final long size;

  Postings(List<Part> parts) {
    this.parts = parts;
    this.partStarts = new long[parts.size()];
    long total = 0;
    for (int i = 0; i < parts.size(); i++) {
      partStarts[i] = total;
      total += parts.get(i).count();
    }
    this.size = total;
  }

  /** How many positions. */
  public long size() {
    return size;
  }

  /** Whether there are none. */
  public boolean isEmpty() {
    return size == 0;
  }

  /** The position at {@code index} (0-based, below {@link #size()}). */
  public long get(long index) {
    int part = partOf(index);
    return parts.get(part).get((int) (index - partStarts[part]));
  }

  private int partOf(long index) {
    int low = 0;
    int high = partStarts.length - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (partStarts[mid] <= index) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }

  /** The index of the first position at or above {@code position}; {@link #size()} if none. */
  public long lowerBound(long position) {
    long low = 0;
    long high = size;
    while (low < high) {
      long mid = (low + high) >>> 1;
      if (get(mid) < position) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** Whether {@code position} is among these positions. */
  public boolean contains(long position) {
    long index = lowerBound(position);
    return index < size && get(index) == position;
  }
}

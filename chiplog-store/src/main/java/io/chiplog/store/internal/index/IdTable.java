package io.chiplog.store.internal.index;

import java.util.UUID;

/**
 * Event id to position for the events of one memtable: an open-addressing hash table in three
 * primitive arrays. Every event has a unique id, so a map of objects would add four objects per
 * event, all referenced from an old, large table — the garbage collector then rescans that table
 * at every young collection. Primitive arrays hold no references.
 *
 * <p>One writer, any number of readers without locks: the writer fills a slot (position last)
 * and then publishes the count (a volatile write); a slot, once filled, never changes or empties,
 * so a probe chain a reader follows only ever grows at its end. When the table is half full the
 * writer builds a twice larger copy and publishes it whole.
 */
final class IdTable {
  private static final long EMPTY = 0;

  /** The arrays, replaced together when the table grows. */
  private record Slots(long[] most, long[] least, long[] positions) {
    int mask() {
      return positions.length - 1;
    }
  }

  private volatile Slots slots;
  private volatile int count;

  /** A table for about {@code expected} ids before it grows. */
  IdTable(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    slots = new Slots(new long[capacity], new long[capacity], new long[capacity]);
  }

  /** Records the position of an id not in the table. Writer only. */
  void put(UUID id, long position) {
    Slots current = slots;
    if ((count + 1) * 2 > current.positions().length) {
      current = grow(current);
      slots = current;
    }
    insert(current, id.getMostSignificantBits(), id.getLeastSignificantBits(), position);
    count = count + 1;
  }

  private static void insert(Slots slots, long most, long least, long position) {
    int mask = slots.mask();
    for (int i = slot(most, least, mask); ; i = (i + 1) & mask) {
      if (slots.positions()[i] == EMPTY) {
        slots.most()[i] = most;
        slots.least()[i] = least;
        slots.positions()[i] = position;
        return;
      }
    }
  }

  private static Slots grow(Slots old) {
    int capacity = old.positions().length * 2;
    var larger = new Slots(new long[capacity], new long[capacity], new long[capacity]);
    for (int i = 0; i < old.positions().length; i++) {
      if (old.positions()[i] != EMPTY) {
        insert(larger, old.most()[i], old.least()[i], old.positions()[i]);
      }
    }
    return larger;
  }

  /** The position of {@code id}, or -1. Any thread. */
  long positionOf(UUID id) {
    if (count == 0) {
      return -1;
    }
    Slots current = slots;
    long most = id.getMostSignificantBits();
    long least = id.getLeastSignificantBits();
    int mask = current.mask();
    for (int i = slot(most, least, mask); ; i = (i + 1) & mask) {
      long position = current.positions()[i];
      if (position == EMPTY) {
        return -1;
      }
      if (current.most()[i] == most && current.least()[i] == least) {
        return position;
      }
    }
  }

  /** A copy without the ids at positions above {@code position}: linear probing cannot delete in place. */
  IdTable withoutAbove(long position) {
    var kept = new IdTable(Math.max(count, 8));
    forEach((id, at) -> {
      if (at <= position) {
        kept.put(id, at);
      }
    });
    return kept;
  }

  /** How many ids the table holds. */
  int size() {
    return count;
  }

  /** Calls {@code visitor} for every id and position, in no order. */
  void forEach(Visitor visitor) {
    Slots current = slots;
    for (int i = 0; i < current.positions().length; i++) {
      if (current.positions()[i] != EMPTY) {
        visitor.visit(new UUID(current.most()[i], current.least()[i]), current.positions()[i]);
      }
    }
  }

  /** Receives the entries of {@link #forEach}. */
  @FunctionalInterface
  interface Visitor {
    void visit(UUID id, long position);
  }

  private static int slot(long most, long least, int mask) {
    long h = most * 0x9E3779B97F4A7C15L ^ least;
    return (int) (h ^ (h >>> 29)) & mask;
  }
}

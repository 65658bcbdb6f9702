package io.chiplog.store.internal.index;

import java.util.Arrays;

/**
 * A growable list of longs with one writer and any number of readers, without locks: the writer
 * stores the element before it publishes the new size (a volatile write), and a reader reads the
 * size before the array, so every index below the size it saw is filled in the array it reads.
 */
public final class LongList {
  private volatile long[] values;
  private volatile int size;

  /** An empty list with room for {@code capacity} values. */
  public LongList(int capacity) {
    values = new long[Math.max(capacity, 2)];
  }

  /** Appends a value. Writer thread only. */
  public void add(long value) {
    int n = size;
    long[] array = values;
    if (n == array.length) {
      array = Arrays.copyOf(array, n * 2);
      values = array;
    }
    array[n] = value;
    size = n + 1;
  }

  /** Drops the values from {@code newSize} on. Writer thread only. */
  public void truncate(int newSize) {
    if (newSize < size) {
      size = newSize;
    }
  }

  /** The number of values. */
  public int size() {
    return size;
  }

  /** The value at {@code index}, which must be below a size this thread has read. */
  public long get(int index) {
    return values[index];
  }
}

package io.chiplog.api;

/**
 * Where a read starts, how far it goes and in which direction.
 *
 * <p>{@code from} is inclusive: a global position for reads by query, a revision for reads of a
 * stream. Reading forwards from 0 (or 1) starts at the beginning; reading backwards from {@link
 * #END} starts at the newest event.
 *
 * <pre>{@code
 * ReadOptions.forwards().from(lastSeen + 1).limit(100)
 * ReadOptions.backwards().limit(1)           // the newest matching event
 * }</pre>
 *
 * @param from the first position (or revision) to return, inclusive
 * @param limit the most events to return, 0 or more
 * @param direction forwards or backwards
 */
public record ReadOptions(long from, int limit, Direction direction) {

  /** As {@code from}: past every position, i.e. start a backwards read at the newest event. */
  public static final long END = Long.MAX_VALUE;

  /** As {@code limit}: no limit. */
  public static final int NO_LIMIT = Integer.MAX_VALUE;

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException when {@code from} or {@code limit} is negative
   */
  public ReadOptions {
    if (from < 0) {
      throw new IllegalArgumentException("from must be 0 or more, was " + from);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be 0 or more, was " + limit);
    }
    if (direction == null) {
      throw new IllegalArgumentException("direction must not be null");
    }
  }

  /** Everything, oldest first. */
  public static ReadOptions forwards() {
    return new ReadOptions(0, NO_LIMIT, Direction.FORWARDS);
  }

  /** Everything, newest first. */
  public static ReadOptions backwards() {
    return new ReadOptions(END, NO_LIMIT, Direction.BACKWARDS);
  }

  /** These options starting at {@code position} (or revision), inclusive. */
  public ReadOptions from(long position) {
    return new ReadOptions(position, limit, direction);
  }

  /** These options returning at most {@code max} events. */
  public ReadOptions limit(int max) {
    return new ReadOptions(from, max, direction);
  }

  /** Whether this read goes forwards. */
  public boolean isForwards() {
    return direction == Direction.FORWARDS;
  }
}

package io.chiplog.api;

import java.util.List;

/**
 * The size limits a store enforces on appends. The defaults are 4 MiB per event and 16 MiB per
 * append; an event's size is counted by {@link EventData#sizeBytes()}.
 *
 * @param eventSizeMaxBytes the largest event accepted
 * @param appendSizeMaxBytes the largest append (all its events) accepted
 */
public record StoreLimits(long eventSizeMaxBytes, long appendSizeMaxBytes) {
  /** 4 MiB. */
  public static final long DEFAULT_EVENT_SIZE_MAX_BYTES = 4L << 20;

  /** 16 MiB. */
  public static final long DEFAULT_APPEND_SIZE_MAX_BYTES = 16L << 20;

  /** Checks the limits are positive and consistent. */
  public StoreLimits {
    if (eventSizeMaxBytes < 1 || appendSizeMaxBytes < eventSizeMaxBytes) {
      throw new IllegalArgumentException(
          "limits must satisfy 1 <= eventSizeMaxBytes <= appendSizeMaxBytes, were "
              + eventSizeMaxBytes + " and " + appendSizeMaxBytes);
    }
  }

  /** 4 MiB per event, 16 MiB per append. */
  public static StoreLimits defaults() {
    return new StoreLimits(DEFAULT_EVENT_SIZE_MAX_BYTES, DEFAULT_APPEND_SIZE_MAX_BYTES);
  }

  /**
   * Checks an append against the limits.
   *
   * @throws TooLargeException naming the first event over the limit, or {@code events} when only
   *     the total is
   */
  public void check(AppendRequest request) {
    List<EventData> events = request.events();
    long total = 0;
    for (int i = 0; i < events.size(); i++) {
      long size = events.get(i).sizeBytes();
      if (size > eventSizeMaxBytes) {
        throw new TooLargeException("events[" + i + "]", size, eventSizeMaxBytes);
      }
      total += size;
    }
    if (total > appendSizeMaxBytes) {
      throw new TooLargeException("events", total, appendSizeMaxBytes);
    }
  }
}

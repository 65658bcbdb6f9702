package io.chiplog.api;

import java.io.Serial;

/**
 * An event or an append is larger than the store's limits ({@link StoreLimits}). Nothing is
 * written. The HTTP API answers it with 413.
 */
public final class TooLargeException extends InvalidEventException {
  @Serial private static final long serialVersionUID = 1L;

  private final long sizeBytes;
  private final long limitBytes;

  /**
   * Creates the error.
   *
   * @param field the event ({@code events[3]}) or the whole append ({@code events})
   * @param sizeBytes the size found
   * @param limitBytes the limit it exceeds
   */
  public TooLargeException(String field, long sizeBytes, long limitBytes) {
    super(field, "is " + sizeBytes + " bytes, more than the limit of " + limitBytes + " bytes");
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
  }

  /** The size found. */
  public long sizeBytes() {
    return sizeBytes;
  }

  /** The limit exceeded. */
  public long limitBytes() {
    return limitBytes;
  }
}

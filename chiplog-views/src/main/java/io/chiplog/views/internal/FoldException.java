package io.chiplog.views.internal;

import java.io.Serial;

/**
 * A view's own code failed on an event (its fold, decoding the event, encoding a value, its SQL):
 * nothing of the batch was committed. The runner retries, then stops the view there.
 */
public final class FoldException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  private final long position;

  /** The event at {@code position} (0: somewhere in the batch) failed with {@code cause}. */
  public FoldException(long position, Throwable cause) {
    super("the view failed on the event at position " + position + ": " + cause, cause);
    this.position = position;
  }

  /** The failing event's position, or 0 when the batch did not say which. */
  public long position() {
    return position;
  }
}

package io.chiplog.api;

import java.io.Serial;

/**
 * An append was refused because a consistency check failed: the stream's expected revision, the
 * DCB condition, or the event ids of an inexact retry. Nothing of the append was written. The
 * usual reaction is to read again, decide again and retry.
 */
public final class AppendConflictException extends ChiplogException {
  @Serial private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // The reasons are records of immutable values.
  private final ConflictReason reason;

  /** Creates the error for a reason. */
  public AppendConflictException(ConflictReason reason) {
    super("append conflict: " + reason.describe());
    this.reason = reason;
  }

  /** Which check failed, with its values. */
  public ConflictReason reason() {
    return reason;
  }
}

package io.chiplog.views;

import io.chiplog.api.ChiplogException;
import java.io.Serial;

/** A build (a rebuild, a point-in-time build) stopped at an event whose fold kept failing. */
public final class ViewFailedException extends ChiplogException {
  @Serial private static final long serialVersionUID = 1L;

  private final transient ViewFailure failure;

  /** The build of {@code space} failed with {@code failure}. */
  public ViewFailedException(String space, ViewFailure failure) {
    super("the view " + space + " failed at position " + failure.position() + " (" + failure.eventType() + ", id "
        + failure.eventId() + ") after " + failure.attempts() + " attempts: " + failure.error());
    this.failure = failure;
  }

  /** The failing event and the error. */
  public ViewFailure failure() {
    return failure;
  }
}

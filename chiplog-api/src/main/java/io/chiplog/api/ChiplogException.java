package io.chiplog.api;

import java.io.Serial;

/**
 * The root of every error a Chiplog {@link EventStore} reports. Unchecked: callers handle the
 * subclasses they can act on ({@link AppendConflictException} first of all) and let the rest
 * propagate.
 */
public abstract class ChiplogException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** Creates an error with a message that names the values involved. */
  protected ChiplogException(String message) {
    super(message);
  }

  /** Creates an error caused by another one. */
  protected ChiplogException(String message, Throwable cause) {
    super(message, cause);
  }
}

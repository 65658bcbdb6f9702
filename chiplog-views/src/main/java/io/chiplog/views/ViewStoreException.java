package io.chiplog.views;

import io.chiplog.api.ChiplogException;
import java.io.Serial;

/**
 * The view store itself failed (a file, a database connection). The runner retries such errors
 * with backoff for as long as it runs: they say nothing about the events.
 */
public final class ViewStoreException extends ChiplogException {
  @Serial private static final long serialVersionUID = 1L;

  /** An error caused by {@code cause}. */
  public ViewStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

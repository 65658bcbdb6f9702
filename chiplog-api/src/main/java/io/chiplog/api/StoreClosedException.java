package io.chiplog.api;

import java.io.Serial;

/** The store was closed: it takes no more appends, reads or subscriptions. */
public final class StoreClosedException extends ChiplogException {
  @Serial private static final long serialVersionUID = 1L;

  /** Creates the error, naming the store (a directory, a URL, "in-memory store"). */
  public StoreClosedException(String store) {
    super(store + " is closed");
  }
}

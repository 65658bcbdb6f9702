package io.chiplog.api;

import java.io.Serial;

/**
 * The store's storage failed: a disk write or fsync error, a full disk, a lost database or server
 * connection, a checksum that does not match. The message names the file, position or address.
 * An append that fails with it may or may not have been written when the failure happened after
 * the data left the process (a lost connection); retry it with the same event ids, which is
 * idempotent.
 */
public class StoreIoException extends ChiplogException {
  @Serial private static final long serialVersionUID = 1L;

  /** Creates the error. */
  public StoreIoException(String message) {
    super(message);
  }

  /** Creates the error with its cause. */
  public StoreIoException(String message, Throwable cause) {
    super(message, cause);
  }
}

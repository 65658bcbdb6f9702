package io.chiplog.store;

import io.chiplog.api.StoreIoException;
import java.io.Serial;

/**
 * The embedded store's storage failures. Each message names the file, offset or position and the
 * values involved.
 */
public abstract sealed class StoreException extends StoreIoException {
  @Serial private static final long serialVersionUID = 1L;

  StoreException(String message) {
    super(message);
  }

  StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Data on disk is damaged where it cannot be a torn tail: a checksum mismatch inside the log, a
   * bad segment header, a missing segment. The damaged record is never returned as data; run
   * {@code verify} for the full list.
   */
  public static final class Corrupted extends StoreException {
    @Serial private static final long serialVersionUID = 1L;

    /** Creates the error. */
    public Corrupted(String message) {
      super(message);
    }
  }

  /**
   * A write, fsync or file operation failed (a full disk, an I/O error). After a failed write the
   * store refuses further appends until it is reopened; what the failed batch had written is cut
   * off, and reopening recovers to the last acknowledged append.
   */
  public static final class Failed extends StoreException {
    @Serial private static final long serialVersionUID = 1L;

    /** Creates the error. */
    public Failed(String message, Throwable cause) {
      super(message, cause);
    }

    /** Creates the error without a cause. */
    public Failed(String message) {
      super(message);
    }
  }
}

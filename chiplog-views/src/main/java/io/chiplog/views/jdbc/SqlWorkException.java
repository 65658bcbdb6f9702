package io.chiplog.views.jdbc;

import java.io.Serial;
import java.sql.SQLException;

/**
 * A table view's own SQL failed (a constraint, a syntax error): a failure of the view's code for
 * the event being applied, not of the database. Nothing of the transaction was committed.
 */
public final class SqlWorkException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** Wraps {@code cause}. */
  public SqlWorkException(SQLException cause) {
    super(cause.getMessage() + " (SQLState " + cause.getSQLState() + ")", cause);
  }
}

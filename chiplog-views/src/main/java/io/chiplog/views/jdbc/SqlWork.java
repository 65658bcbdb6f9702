package io.chiplog.views.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Work on a connection inside a transaction that {@link JdbcViewStore} commits. */
@FunctionalInterface
public interface SqlWork {

  /** Does the work; must neither commit nor roll back. */
  void run(Connection connection) throws SQLException;
}

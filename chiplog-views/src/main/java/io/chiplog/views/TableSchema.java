package io.chiplog.views;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Creates a table view's tables, once per version built, under the physical names that {@code
 * tables} gives: {@code CREATE TABLE " + tables.name("books") + " (...)}.
 */
@FunctionalInterface
public interface TableSchema {

  /** Creates the tables (and their indexes). */
  void create(Tables tables, Connection connection) throws SQLException;
}

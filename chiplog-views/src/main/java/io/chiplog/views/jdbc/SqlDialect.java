package io.chiplog.views.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The SQL that differs between the databases a {@link JdbcViewStore} speaks to. */
public enum SqlDialect {
  /** PostgreSQL: transactional DDL, {@code ON CONFLICT} upserts. */
  POSTGRESQL("BYTEA", "INSERT INTO %s (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v"),
  /** MariaDB and MySQL (InnoDB): {@code ON DUPLICATE KEY} upserts; DDL commits on its own. */
  MARIADB("LONGBLOB", "INSERT INTO %s (k, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v)");

  private final String bytesType;
  private final String upsertFormat;

  SqlDialect(String bytesType, String upsertFormat) {
    this.bytesType = bytesType;
    this.upsertFormat = upsertFormat;
  }

  /** The dialect of the database {@code connection} is connected to. */
  public static SqlDialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (product.contains("postgres")) {
      return POSTGRESQL;
    }
    if (product.contains("mariadb") || product.contains("mysql")) {
      return MARIADB;
    }
    throw new SQLException("views support PostgreSQL and MariaDB/MySQL, not " + product);
  }

  /** The column type of bytes. */
  String bytesType() {
    return bytesType;
  }

  /** Upserts {@code (k, v)} into {@code table}. */
  String upsert(String table) {
    return upsertFormat.formatted(table);
  }

  /** Sets the checkpoint of a space, inserting its row on first use. */
  String upsertCheckpoint() {
    return switch (this) {
      case POSTGRESQL -> "INSERT INTO chiplog_view_checkpoints (space, position) VALUES (?, ?)"
          + " ON CONFLICT (space) DO UPDATE SET position = EXCLUDED.position";
      case MARIADB -> "INSERT INTO chiplog_view_checkpoints (space, position) VALUES (?, ?)"
          + " ON DUPLICATE KEY UPDATE position = VALUES(position)";
    };
  }

  /** Sets the live space of a view. */
  String upsertLive() {
    return switch (this) {
      case POSTGRESQL -> "INSERT INTO chiplog_view_live (view_name, space) VALUES (?, ?)"
          + " ON CONFLICT (view_name) DO UPDATE SET space = EXCLUDED.space";
      case MARIADB -> "INSERT INTO chiplog_view_live (view_name, space) VALUES (?, ?)"
          + " ON DUPLICATE KEY UPDATE space = VALUES(space)";
    };
  }

  /** Points the SQL view {@code logical} at the table {@code physical}; PostgreSQL does it in the transaction. */
  String[] pointView(String logical, String physical) {
    return switch (this) {
      case POSTGRESQL -> new String[] {"DROP VIEW IF EXISTS " + logical, "CREATE VIEW " + logical + " AS SELECT * FROM " + physical};
      case MARIADB -> new String[] {"CREATE OR REPLACE VIEW " + logical + " AS SELECT * FROM " + physical};
    };
  }

  /** Whether {@code e} says the table does not exist. */
  boolean isMissingTable(SQLException e) {
    return switch (this) {
      case POSTGRESQL -> "42P01".equals(e.getSQLState());
      case MARIADB -> e.getErrorCode() == 1146 || "42S02".equals(e.getSQLState());
    };
  }
}

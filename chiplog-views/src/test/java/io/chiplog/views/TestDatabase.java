package io.chiplog.views;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The SQL databases the JDBC view tests run against: the PostgreSQL and MariaDB that CI starts on
 * this machine (or the ones {@code -Dchiplog.test.postgresql.url} and {@code
 * -Dchiplog.test.mariadb.url} name). A database that cannot be reached fails the test with a
 * message that says so: these tests never skip.
 *
 * <p>Tests share the database {@code test}, so each ends the names of its views and tables with a
 * {@link #uniqueSuffix} and removes what it created with {@link #dropObjectsOf}.
 */
enum TestDatabase {
  /** PostgreSQL, with batched inserts rewritten to multi-row inserts as the store's docs advise. */
  POSTGRESQL("chiplog.test.postgresql.url", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&reWriteBatchedInserts=true") {
    @Override
    DataSource driver(String url) {
      var dataSource = new PGSimpleDataSource();
      dataSource.setURL(url);
      return dataSource;
    }

    @Override
    String currentSchema() {
      return "current_schema()";
    }
  },
  /** MariaDB (InnoDB). */
  MARIADB("chiplog.test.mariadb.url", "jdbc:mariadb://127.0.0.1:3306/test?user=root") {
    @Override
    DataSource driver(String url) {
      try {
        return new MariaDbDataSource(url);
      } catch (SQLException e) {
        throw new IllegalArgumentException("not a MariaDB URL: " + url, e);
      }
    }

    @Override
    String currentSchema() {
      return "DATABASE()";
    }
  };

  private static final long CONNECT_TIMEOUT_MILLIS = 5_000;

  private final String urlProperty;
  private final String defaultUrl;

  TestDatabase(String urlProperty, String defaultUrl) {
    this.urlProperty = urlProperty;
    this.defaultUrl = defaultUrl;
  }

  /** The JDBC URL of the test database. */
  String url() {
    return System.getProperty(urlProperty, defaultUrl);
  }

  /** The driver's unpooled data source for {@code url}. */
  abstract DataSource driver(String url);

  /** The SQL expression of the schema (database) tables are created in. */
  abstract String currentSchema();

  /**
   * A pool of at most {@code connectionsMax} connections to the database.
   *
   * @throws AssertionError when the database cannot be reached, naming the URL and how to fix it
   */
  HikariDataSource pool(int connectionsMax) {
    var config = new HikariConfig();
    config.setDataSource(driver(url()));
    config.setMaximumPoolSize(connectionsMax);
    config.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
    config.setPoolName("views-" + name().toLowerCase(Locale.ROOT));
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new AssertionError(this + " is not reachable at " + url() + " (" + e.getMessage() + "). The JDBC view tests need it"
          + " and do not skip: CI starts it; locally start it, or point -D" + urlProperty + " at one.", e);
    }
  }

  /** Six random letters: names that end with them are used by no other run. */
  static String uniqueSuffix() {
    var suffix = new StringBuilder();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 6; i++) {
      suffix.append((char) ('a' + random.nextInt(26)));
    }
    return suffix.toString();
  }

  /**
   * Drops every table and SQL view whose name contains {@code suffix}, and the bookkeeping rows
   * of the spaces and views named so: what a test whose names end with {@code suffix} left.
   */
  void dropObjectsOf(DataSource dataSource, String suffix) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      var views = new ArrayList<String>();
      var tables = new ArrayList<String>();
      try (PreparedStatement select = connection.prepareStatement("SELECT table_name, table_type FROM information_schema.tables"
          + " WHERE table_schema = " + currentSchema() + " AND table_name LIKE ?")) {
        select.setString(1, "%" + suffix + "%");
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            (rows.getString(2).equalsIgnoreCase("VIEW") ? views : tables).add(rows.getString(1));
          }
        }
      }
      try (Statement statement = connection.createStatement()) {
        for (String view : views) {
          statement.execute("DROP VIEW IF EXISTS " + view);
        }
        for (String table : tables) {
          statement.execute("DROP TABLE IF EXISTS " + table);
        }
      }
      for (String sql : List.of("DELETE FROM chiplog_view_checkpoints WHERE space LIKE ?", "DELETE FROM chiplog_view_live WHERE view_name LIKE ?")) {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
          delete.setString(1, "%" + suffix + "%");
          delete.executeUpdate();
        }
      }
    }
  }

  /** The names of the tables (not SQL views) whose name contains {@code suffix}, in order. */
  List<String> tablesOf(DataSource dataSource, String suffix) throws SQLException {
    var tables = new ArrayList<String>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement("SELECT table_name FROM information_schema.tables WHERE table_schema = "
            + currentSchema() + " AND table_type <> 'VIEW' AND table_name LIKE ? ORDER BY table_name")) {
      select.setString(1, "%" + suffix + "%");
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          tables.add(rows.getString(1).toLowerCase(Locale.ROOT));
        }
      }
    }
    return tables;
  }
}

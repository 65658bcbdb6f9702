package io.chiplog.views.jdbc;

import io.chiplog.views.TableSchema;
import io.chiplog.views.Tables;
import io.chiplog.views.ViewStore;
import io.chiplog.views.ViewStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Views in PostgreSQL or MariaDB/MySQL. Give it a pooled {@link DataSource} (HikariCP): the
 * runners take a connection per batch and readers one per read.
 *
 * <ul>
 *   <li>{@code chiplog_view_checkpoints(space, position)} and {@code chiplog_view_live(view_name,
 *       space)} hold the checkpoints and the live spaces;
 *   <li>a key-value space is a table {@code chiplog_kv_<space>(k, v)}, written with batched
 *       upserts in the same transaction as its checkpoint;
 *   <li>a table view writes its own tables, {@code <table>_v<version>_<generation>}, and readers
 *       query SQL views named after the logical tables, repointed when a new version goes live.
 * </ul>
 *
 * <p>A commit moves a checkpoint only while it is before the batch's first event, so two
 * processes running the same view against one database never both apply an event, even when
 * their batches overlap: the later commit fails, and its runner resumes from the checkpoint the
 * other one committed. For PostgreSQL
 * add {@code reWriteBatchedInserts=true} to the JDBC URL for faster batches.
 */
public final class JdbcViewStore implements ViewStore {
  private static final int KEY_CHARS_MAX = 255;

  private final DataSource dataSource;
  private final SqlDialect dialect;
  private final Set<String> createdKeyValueTables = ConcurrentHashMap.newKeySet();

  private JdbcViewStore(DataSource dataSource, SqlDialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  /**
   * Opens the store on {@code dataSource}, creating its two bookkeeping tables if missing.
   *
   * @throws ViewStoreException when the database cannot be reached or is not supported
   */
  public static JdbcViewStore open(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      SqlDialect dialect = SqlDialect.of(connection);
      statement.execute("CREATE TABLE IF NOT EXISTS chiplog_view_checkpoints (space VARCHAR(200) PRIMARY KEY, position BIGINT NOT NULL)");
      statement.execute("CREATE TABLE IF NOT EXISTS chiplog_view_live (view_name VARCHAR(100) PRIMARY KEY, space VARCHAR(200) NOT NULL)");
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
      return new JdbcViewStore(dataSource, dialect);
    } catch (SQLException e) {
      throw failure("cannot open the view store", e);
    }
  }

  /** The database's dialect. */
  public SqlDialect dialect() {
    return dialect;
  }

  @Override
  public long checkpoint(String space) {
    Long position = checkpointRow(space);
    return position == null ? 0 : position;
  }

  private static @Nullable Long checkpoint(Connection connection, String space) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement("SELECT position FROM chiplog_view_checkpoints WHERE space = ?")) {
      select.setString(1, space);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getLong(1) : null;
      }
    }
  }

  /** Creates the key-value table of {@code space}, so its first reads find an empty table rather than none. */
  @Override
  public void prepare(String space) {
    ensureKeyValueTable(keyValueTable(space));
  }

  @Override
  public byte @Nullable [] get(String space, String key) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement("SELECT v FROM " + keyValueTable(space) + " WHERE k = ?")) {
      select.setString(1, key);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getBytes(1) : null;
      }
    } catch (SQLException e) {
      if (dialect.isMissingTable(e)) {
        return null;
      }
      throw failure("cannot read " + space + "/" + key, e);
    }
  }

  @Override
  public void commit(String space, Map<String, byte @Nullable []> changes, long firstPosition, long checkpoint) {
    for (String key : changes.keySet()) {
      if (key.length() > KEY_CHARS_MAX) {
        throw new IllegalArgumentException("a view key in SQL is at most " + KEY_CHARS_MAX + " chars: " + key.substring(0, 40) + "...");
      }
    }
    String table = keyValueTable(space);
    ensureKeyValueTable(table);
    transact(space, firstPosition, checkpoint, connection -> {
      try (PreparedStatement upsert = connection.prepareStatement(dialect.upsert(table));
          PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE k = ?")) {
        int upserts = 0;
        int deletes = 0;
        for (Map.Entry<String, byte @Nullable []> change : changes.entrySet()) {
          byte[] value = change.getValue();
          if (value == null) {
            delete.setString(1, change.getKey());
            delete.addBatch();
            deletes++;
          } else {
            upsert.setString(1, change.getKey());
            upsert.setBytes(2, value);
            upsert.addBatch();
            upserts++;
          }
        }
        if (upserts > 0) {
          upsert.executeBatch();
        }
        if (deletes > 0) {
          delete.executeBatch();
        }
      }
    });
  }

  private void ensureKeyValueTable(String table) {
    if (createdKeyValueTables.contains(table)) {
      return;
    }
    // Outside the batch's transaction: MariaDB commits DDL on its own.
    execute("CREATE TABLE IF NOT EXISTS " + table + " (k VARCHAR(" + KEY_CHARS_MAX + ") PRIMARY KEY, v " + dialect.bytesType() + " NOT NULL)");
    createdKeyValueTables.add(table);
  }

  /**
   * Runs {@code work}, the changes of the events from {@code firstPosition} to {@code
   * checkpoint}, and stores the checkpoint {@code checkpoint} of {@code space} in one
   * transaction.
   *
   * @throws ViewStoreException when the database failed, or another process had moved the
   *     checkpoint to {@code firstPosition} or after
   * @throws SqlWorkException when {@code work} failed (a constraint, a syntax error)
   */
  public void transact(String space, long firstPosition, long checkpoint, SqlWork work) {
    inTransaction("cannot commit to " + space, connection -> {
      // The checkpoint first: its row lock orders two runners of the space before either
      // touches the view's rows, so the later one is refused at once and they never deadlock.
      moveCheckpoint(connection, space, firstPosition, checkpoint);
      try {
        work.run(connection);
      } catch (SQLException e) {
        if (isConnectionProblem(e)) {
          throw e;
        }
        throw new SqlWorkException(e);
      }
    });
  }

  /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
  private void inTransaction(String what, SqlWork work) {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        work.run(connection);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        rollBack(connection, e);
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /**
   * Moves the checkpoint only if it is still before the batch's first event, so that of two
   * runners whose batches overlap, only the first to commit applies the events they share. The
   * update's row lock orders them; a first checkpoint is a plain insert, which a concurrent one
   * makes fail on the primary key.
   */
  private static void moveCheckpoint(Connection connection, String space, long firstPosition, long checkpoint) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE chiplog_view_checkpoints SET position = ? WHERE space = ? AND position < ?")) {
      update.setLong(1, checkpoint);
      update.setString(2, space);
      update.setLong(3, firstPosition);
      if (update.executeUpdate() == 1) {
        return;
      }
    }
    Long current = checkpoint(connection, space);
    if (current != null) {
      throw new SQLException("the checkpoint of " + space + " is already at " + current + ", not before " + firstPosition
          + " (the first event of this batch): is another process running this view on the same database?", "40001");
    }
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO chiplog_view_checkpoints (space, position) VALUES (?, ?)")) {
      insert.setString(1, space);
      insert.setLong(2, checkpoint);
      insert.executeUpdate();
    }
  }

  /**
   * Creates the tables of a table view's space with {@code schema}, unless the space exists;
   * leftovers of a creation that a crash interrupted are dropped first.
   *
   * @return the space's checkpoint (0 when just created)
   */
  public long prepareTables(String space, Tables tables, TableSchema schema) {
    Long existing = checkpointRow(space);
    if (existing != null) {
      return existing;
    }
    dropTablesOnly(tables);
    inTransaction("cannot create the tables " + tables.physicalByLogical().values() + " of " + space, connection -> {
      schema.create(tables, connection);
      try (PreparedStatement insert = connection.prepareStatement(dialect.upsertCheckpoint())) {
        insert.setString(1, space);
        insert.setLong(2, 0);
        insert.executeUpdate();
      }
    });
    return 0;
  }

  private @Nullable Long checkpointRow(String space) {
    try (Connection connection = dataSource.getConnection()) {
      return checkpoint(connection, space);
    } catch (SQLException e) {
      throw failure("cannot read the checkpoint of " + space, e);
    }
  }

  @Override
  public @Nullable String liveSpace(String view) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement("SELECT space FROM chiplog_view_live WHERE view_name = ?")) {
      select.setString(1, view);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getString(1) : null;
      }
    } catch (SQLException e) {
      throw failure("cannot read the live space of " + view, e);
    }
  }

  @Override
  public void makeLive(String view, String space) {
    makeLive(view, space, new Tables(Map.of()));
  }

  /**
   * Makes {@code space} the live space of {@code view} and points the SQL view of each logical
   * table at its physical table: one transaction in PostgreSQL; in MariaDB each view is replaced
   * atomically on its own.
   */
  public void makeLive(String view, String space, Tables tables) {
    inTransaction("cannot make " + space + " live for " + view, connection -> {
      try (Statement statement = connection.createStatement();
          PreparedStatement live = connection.prepareStatement(dialect.upsertLive())) {
        for (Map.Entry<String, String> table : tables.physicalByLogical().entrySet()) {
          for (String sql : dialect.pointView(table.getKey(), table.getValue())) {
            statement.execute(sql);
          }
        }
        live.setString(1, view);
        live.setString(2, space);
        live.executeUpdate();
      }
    });
  }

  @Override
  public void drop(String space) {
    String table = keyValueTable(space);
    execute("DROP TABLE IF EXISTS " + table);
    createdKeyValueTables.remove(table);
    deleteCheckpoint(space);
  }

  /** Drops a table view's space: its tables and its checkpoint. */
  public void dropTables(String space, Tables tables) {
    dropTablesOnly(tables);
    deleteCheckpoint(space);
  }

  private void dropTablesOnly(Tables tables) {
    for (String physical : tables.physicalByLogical().values()) {
      execute("DROP TABLE IF EXISTS " + physical);
    }
  }

  private void deleteCheckpoint(String space) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete = connection.prepareStatement("DELETE FROM chiplog_view_checkpoints WHERE space = ?")) {
      delete.setString(1, space);
      delete.executeUpdate();
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    } catch (SQLException e) {
      throw failure("cannot delete the checkpoint of " + space, e);
    }
  }

  private void execute(String sql) {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    } catch (SQLException e) {
      throw failure("cannot run " + sql, e);
    }
  }

  private static String keyValueTable(String space) {
    return "chiplog_kv_" + space;
  }

  /** Class 08 is a connection problem: the database, not the view's SQL, failed. */
  private static boolean isConnectionProblem(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("57") || state.equals("40001") || state.equals("40P01"));
  }

  private static void rollBack(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static ViewStoreException failure(String what, SQLException e) {
    return new ViewStoreException(what + ": " + e.getMessage() + " (SQLState " + e.getSQLState() + ")", e);
  }

  /** Does nothing: the data source belongs to the caller, who closes it. */
  @Override
  public void close() {
    // the caller owns the data source
  }
}

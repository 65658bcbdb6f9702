package io.chiplog.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.memory.InMemoryEventStore;
import io.chiplog.model.Recorded;
import io.chiplog.views.Tallies.Added;
import io.chiplog.views.Tallies.Cleared;
import io.chiplog.views.Tallies.Tally;
import io.chiplog.views.Tallies.TallyEvent;
import io.chiplog.views.jdbc.JdbcViewStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Views kept in PostgreSQL and MariaDB through {@link JdbcViewStore}: key-value views, table views
 * read with SQL through their logical names, rebuilds, two processes running one view, and a
 * view whose SQL breaks a constraint. The databases are those of {@link TestDatabase}; a test
 * fails, not skips, when one is not reachable. Every name a test creates ends with a suffix of
 * its own, and what it created is dropped afterwards.
 */
class JdbcViewStoreIT {
  private static final int KEYS = 40;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ViewOptions OPTIONS = ViewOptions.defaults().withBatchSizeMax(200);

  private final String suffix = TestDatabase.uniqueSuffix();
  private final String tallies = "tallies_" + suffix;
  private final String rows = "rows_" + suffix;
  private final InMemoryEventStore events = InMemoryEventStore.create();
  private TestDatabase database = TestDatabase.POSTGRESQL;
  private HikariDataSource pool;

  private JdbcViewStore open(TestDatabase under) {
    database = under;
    pool = under.pool(4);
    return JdbcViewStore.open(pool);
  }

  @AfterEach
  void dropWhatTheTestCreated() throws SQLException {
    events.close();
    if (pool != null) {
      try (HikariDataSource created = pool) {
        database.dropObjectsOf(created, suffix);
      }
    }
  }

  private Views start(JdbcViewStore store, ViewOptions options, View<?> view) {
    return start(store, options, view, new SimpleMeterRegistry());
  }

  /** Views with meters of their own, as in a process of their own. */
  private Views start(JdbcViewStore store, ViewOptions options, View<?> view, SimpleMeterRegistry registry) {
    return Views.builder(events, store).options(options).meterRegistry(registry).add(view).start();
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aKeyValueViewIsTheFoldOfTheLogAndReadsItsOwnWrites(TestDatabase under) {
    JdbcViewStore store = open(under);
    long last = Tallies.append(events, new Random(1), 5_000, KEYS);
    KeyValueView<TallyEvent, Tally> view = Tallies.view(tallies, 1);
    try (Views views = start(store, OPTIONS, view)) {
      ViewReader<Tally> reader = views.reader(view);
      reader.get("k0", last, WAIT);
      assertThat(contents(reader)).isEqualTo(Tallies.fromScratch(events, last)).hasSizeGreaterThan(KEYS / 2);

      for (int i = 1; i <= 20; i++) {
        Tally before = reader.get("k7");
        long position = events.append(AppendRequest.of(Tallies.TYPES.encode(new Added("k7", 5)))).lastPosition();
        Tally after = reader.get("k7", position);
        assertThat(after).isNotNull();
        assertThat(after.lastPosition()).isEqualTo(position);
        assertThat(after.count()).isEqualTo(before == null ? 1 : before.count() + 1);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aTableViewIsQueriedByItsLogicalNameAndARebuildRepointsItAndDropsTheOldTable(TestDatabase under) throws Exception {
    JdbcViewStore store = open(under);
    long last = Tallies.append(events, new Random(2), 5_000, KEYS);
    String name = "tally_rows_" + suffix;
    try (Views views = start(store, OPTIONS, tallyRows(name, 1))) {
      views.awaitPosition(name, last, WAIT);
      assertThat(selectTallies(/* withLastPosition= */ false))
          .isEqualTo(withoutLastPositions(Tallies.fromScratch(events, last)));
      assertThat(database.tablesOf(pool, suffix)).containsExactly(rows + "_v1_1");

      ViewStatus switched = views.rebuild(tallyRows(name, 2)).get(60, TimeUnit.SECONDS);
      assertThat(switched.version()).isEqualTo(2);
      assertThat(switched.space()).isEqualTo(name + "_v2_2");
      long more = Tallies.append(events, new Random(3), 1_000, KEYS);
      views.awaitPosition(name, more, WAIT);
      assertThat(selectTallies(/* withLastPosition= */ true)).as("version 2's shape, through the same name")
          .isEqualTo(Tallies.fromScratch(events, more));
      assertThat(database.tablesOf(pool, suffix)).as("version 1's table is dropped").containsExactly(rows + "_v2_2");
      assertThat(store.liveSpace(name)).isEqualTo(name + "_v2_2");
      assertThat(store.checkpoint(name + "_v1_1")).isZero();
    }
  }

  /**
   * Two processes run one view on one database (a rolling deployment, a mistake): each commit
   * moves the checkpoint only from where the batch started, so a batch the other process applied
   * first is refused, and its runner resumes from the other's checkpoint. The batch sizes differ,
   * so their batches overlap without lining up, while a writer appends. Between them, the two
   * apply each event once: their counts of events applied add up to the log.
   */
  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void twoProcessesRunningTheSameViewApplyNoEventTwice(TestDatabase under) throws Exception {
    JdbcViewStore first = open(under);
    KeyValueView<TallyEvent, Tally> view = Tallies.view(tallies, 1);
    Tallies.append(events, new Random(4), 10_000, KEYS);
    var oneMeters = new SimpleMeterRegistry();
    var otherMeters = new SimpleMeterRegistry();
    Views one = start(first, OPTIONS.withBatchSizeMax(100), view, oneMeters);
    try (HikariDataSource otherPool = under.pool(4);
        Views other = start(JdbcViewStore.open(otherPool), OPTIONS.withBatchSizeMax(170), view, otherMeters)) {
      Thread writer = Thread.ofPlatform().start(() -> {
        var random = new Random(5);
        for (int i = 0; i < 100; i++) {
          Tallies.append(events, random, 1 + random.nextInt(60), KEYS);
        }
      });
      writer.join();
      long last = events.head();
      ViewReader<Tally> reader = one.reader(view);
      reader.get("k0", last, WAIT);
      other.reader(view).get("k0", last, WAIT);
      assertThat(contents(reader)).isEqualTo(Tallies.fromScratch(events, last));
      assertThat(first.checkpoint(tallies + "_v1_1")).isEqualTo(last);
      double appliedByOne = applied(oneMeters);
      double appliedByOther = applied(otherMeters);
      System.out.printf("%s: one process applied %.0f events, the other %.0f, of %d%n", under, appliedByOne, appliedByOther, last);
      assertThat(appliedByOne + appliedByOther).as("events applied by both").isEqualTo(last);

      one.close();
      long more = Tallies.append(events, new Random(6), 2_000, KEYS);
      ViewReader<Tally> survivor = other.reader(view);
      survivor.get("k0", more, WAIT);
      assertThat(contents(survivor)).as("the other process carries on alone").isEqualTo(Tallies.fromScratch(events, more));
    } finally {
      one.close(); // closing again does nothing
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aTableViewWhoseSqlBreaksAConstraintStopsFailedAtThatEvent(TestDatabase under) throws Exception {
    JdbcViewStore store = open(under);
    long before = Tallies.append(events, new Random(6), 700, KEYS);
    long poison = events.append(AppendRequest.of(Tallies.TYPES.encode(new Added("k3", 13_000)))).lastPosition();
    Tallies.append(events, new Random(7), 300, KEYS);
    String name = "amounts_" + suffix;
    TableView<TallyEvent> amounts = TableView.builder(name, Tallies.TYPES)
        .tables(rows)
        .schema((t, c) -> execute(c, "CREATE TABLE " + t.name(rows) + " (position BIGINT PRIMARY KEY, k VARCHAR(50) NOT NULL,"
            + " amount BIGINT NOT NULL, CONSTRAINT amount_at_most_100 CHECK (amount <= 100))"))
        .apply((event, t, c) -> {
          if (event.event() instanceof Added added) {
            execute(c, "INSERT INTO " + t.name(rows) + " (position, k, amount) VALUES (?, ?, ?)", event.position(), added.key(),
                added.amount());
          }
        })
        .build();
    var options = OPTIONS.withRetries(2, Duration.ofMillis(1), Duration.ofMillis(2));
    try (Views views = start(store, options, amounts)) {
      // A wait for the failing event's position ends when the view fails there.
      assertThatThrownBy(() -> views.awaitPosition(name, poison, WAIT)).hasMessageContaining("FAILED at position " + poison);
      ViewStatus failed = views.status(name);
      assertThat(failed.state()).isEqualTo(ViewState.FAILED);
      assertThat(failed.position()).isEqualTo(poison - 1);
      ViewFailure failure = failed.failure();
      assertThat(failure).isNotNull();
      assertThat(failure.position()).isEqualTo(poison);
      assertThat(failure.eventType()).isEqualTo("Added");
      assertThat(failure.attempts()).isEqualTo(2);
      assertThat(failure.error()).contains("amount_at_most_100");
      assertThat(selectCount(rows)).as("one row per Added event before the failing one").isEqualTo(addedUpTo(before));
      assertThat(store.checkpoint(name + "_v1_1")).isEqualTo(poison - 1);
    }
  }

  // --- the table view of tallies ----------------------------------------------------------------

  /**
   * The tallies as a table {@code rows_<suffix>(k, additions, total)}; version 2 adds {@code
   * last_position}.
   */
  private TableView<TallyEvent> tallyRows(String name, int version) {
    boolean withLastPosition = version >= 2;
    return TableView.builder(name, Tallies.TYPES)
        .version(version)
        .tables(rows)
        .schema((t, c) -> execute(c, "CREATE TABLE " + t.name(rows) + " (k VARCHAR(50) PRIMARY KEY, additions BIGINT NOT NULL,"
            + " total BIGINT NOT NULL" + (withLastPosition ? ", last_position BIGINT NOT NULL" : "") + ")"))
        .apply((event, t, c) -> {
          String table = t.name(rows);
          switch (event.event()) {
            case Added added -> addTo(c, table, added, event, withLastPosition);
            case Cleared cleared -> execute(c, "DELETE FROM " + table + " WHERE k = ?", cleared.key());
          }
        })
        .build();
  }

  private static void addTo(Connection c, String table, Added added, Recorded<TallyEvent> event, boolean withLastPosition)
      throws SQLException {
    int updated = withLastPosition
        ? execute(c, "UPDATE " + table + " SET additions = additions + 1, total = total + ?, last_position = ? WHERE k = ?",
            added.amount(), event.position(), added.key())
        : execute(c, "UPDATE " + table + " SET additions = additions + 1, total = total + ? WHERE k = ?", added.amount(), added.key());
    if (updated == 0) {
      if (withLastPosition) {
        execute(c, "INSERT INTO " + table + " (k, additions, total, last_position) VALUES (?, 1, ?, ?)", added.key(),
            added.amount(), event.position());
      } else {
        execute(c, "INSERT INTO " + table + " (k, additions, total) VALUES (?, 1, ?)", added.key(), added.amount());
      }
    }
  }

  private static int execute(Connection connection, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      return statement.executeUpdate();
    }
  }

  /** The tallies as a reader queries them: SQL on the logical name. */
  private Map<String, Tally> selectTallies(boolean withLastPosition) throws SQLException {
    var tallies = new HashMap<String, Tally>();
    try (Connection connection = pool.getConnection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT k, additions, total" + (withLastPosition ? ", last_position" : "") + " FROM " + rows);
        ResultSet row = select.executeQuery()) {
      while (row.next()) {
        tallies.put(row.getString(1), new Tally(row.getLong(2), row.getLong(3), withLastPosition ? row.getLong(4) : 0));
      }
    }
    return tallies;
  }

  private long selectCount(String table) throws SQLException {
    try (Connection connection = pool.getConnection();
        PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM " + table);
        ResultSet row = select.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }

  private static Map<String, Tally> withoutLastPositions(Map<String, Tally> tallies) {
    var stripped = new HashMap<String, Tally>();
    tallies.forEach((key, tally) -> stripped.put(key, new Tally(tally.count(), tally.sum(), 0)));
    return stripped;
  }

  private long addedUpTo(long position) {
    List<Recorded<TallyEvent>> recorded = Tallies.TYPES.decode(
        events.read(Tallies.view(1).query()).takeWhile(e -> e.position() <= position).toList());
    return recorded.stream().filter(r -> r.event() instanceof Added).count();
  }

  // --- reading ----------------------------------------------------------------------------------

  private double applied(SimpleMeterRegistry meters) {
    return meters.get("chiplog.view.events").tag("view", tallies).functionCounter().count();
  }

  private static Map<String, Tally> contents(ViewReader<Tally> reader) {
    return ViewsTest.contents(reader);
  }
}

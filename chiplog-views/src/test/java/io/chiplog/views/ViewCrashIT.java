package io.chiplog.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.chiplog.store.FileEventStore;
import io.chiplog.testkit.ChildProcess;
import io.chiplog.views.Tallies.Tally;
import io.chiplog.views.Tallies.TallyEvent;
import io.chiplog.views.internal.KeyValueTarget;
import io.chiplog.views.jdbc.JdbcViewStore;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The crash test of views: a child JVM ({@link ProjectionChild}) folds a log of 200,000 tally
 * events over 300 keys into a durable view store in small batches, and is killed with SIGKILL
 * at a random position mid-fold, five times ({@code chiplog.crash.rounds}); each child resumes
 * from the checkpoint the killed one left. After the last kill this test opens the store itself, runs the view to the head, and
 * every key's tally must equal a fold of the log from scratch. The tally is not idempotent, so a
 * batch applied twice, or lost, shows in the sums.
 *
 * <p>Each round also checks that the kill interrupted the fold (the child had reported a position
 * before the head), that the checkpoint found afterwards is at or after the last position the
 * killed child reported as committed, and at or before the head.
 *
 * <p>For the embedded store two more crashes damage the file after the kill. What MVStore does
 * with them, and what these tests pin down:
 *
 * <ul>
 *   <li>bytes flipped at the end of the file (the last chunks, which one child run appends
 *       there, with their footers, as a torn write leaves them): it opens at an earlier version,
 *       and that version is whole: its values equal a fold from scratch up to its checkpoint;
 *   <li>both file headers destroyed: opening fails with a {@link ViewStoreException} that names
 *       the file; a view is derived data, so deleting the file rebuilds it from the log.
 * </ul>
 *
 * <p>The seed ({@code chiplog.seed}, random unless given) fixes the log and the kill positions,
 * not the timing; failures print it. Failsafe forks the test JVM, so system properties go in
 * through {@code -DargLine="-Dchiplog.seed=... -Dchiplog.crash.rounds=25"}. The JDBC stores need the databases of {@link TestDatabase},
 * and fail when they are not reachable.
 */
class ViewCrashIT {
  private static final int EVENTS = 200_000;
  private static final int KEYS = 300;
  private static final int ROUNDS = Integer.getInteger("chiplog.crash.rounds", 5);
  /** A child is killed once it has folded a random share, between these two, of the events it had left. */
  private static final double KILL_SHARE_MIN = 0.05;
  private static final double KILL_SHARE_MAX = 0.25;
  private static final int KILL_DELAY_MAX_MILLIS = 5;
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** What {@link Process#exitValue()} reports for a process ended by signal 9. */
  private static final int KILLED_BY_SIGKILL = 128 + 9;
  /** MVStore's two file headers, one 4 KiB block each, at the start of the file. */
  private static final int MVSTORE_HEADERS_BYTES = 2 * 4096;
  /** Enough of the file's end to hold the last chunk's footer and more. */
  private static final int FLIPPED_TAIL_BYTES = 64 * 1024;

  private static final long SEED = seed();

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path shared;

  private static Path log;
  private static long head;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path temp;

  /** Where a child keeps its view, and how this test opens it afterwards. */
  enum Store {
    EMBEDDED(null, 100),
    POSTGRESQL(TestDatabase.POSTGRESQL, 250),
    MARIADB(TestDatabase.MARIADB, 250);

    private final @Nullable TestDatabase database;
    /** Small batches, so that many commits happen; larger ones for a database, whose reads are round trips. */
    private final int batchSize;

    Store(@Nullable TestDatabase database, int batchSize) {
      this.database = database;
      this.batchSize = batchSize;
    }
  }

  /** The view store of one test: an embedded file or a database, and the view's name in it. */
  private record Target(Store store, Path file, String view, @Nullable HikariDataSource pool) implements AutoCloseable {
    static Target of(Store store, Path directory) {
      if (store.database == null) {
        return new Target(store, directory.resolve("views.db"), "tallies", null);
      }
      return new Target(store, directory, "tallies_" + TestDatabase.uniqueSuffix(), store.database.pool(4));
    }

    String childArgument() {
      return store.database == null ? ProjectionChild.embedded(file) : ProjectionChild.database(store.database);
    }

    ViewStore open() {
      return pool == null ? EmbeddedViewStore.open(file) : JdbcViewStore.open(pool);
    }

    @Override
    public void close() throws SQLException {
      if (pool != null) {
        try (pool) {
          store.database.dropObjectsOf(pool, view);
        }
      }
    }
  }

  /** Fills the log once for every test: the children only read it. */
  @BeforeAll
  static void fillLog() {
    log = shared.resolve("log");
    try (var events = FileEventStore.open(log)) {
      head = Tallies.append(events, new Random(SEED), EVENTS, KEYS);
    }
    System.out.printf("ViewCrashIT: seed %d (-Dchiplog.seed=%d replays the log and the kill positions), %d events%n", SEED, SEED, head);
  }

  private static long seed() {
    Long given = Long.getLong("chiplog.seed");
    return given != null ? given : ThreadLocalRandom.current().nextLong();
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aViewKilledMidBatchAgainAndAgainEndsEqualToTheFoldFromScratch(Store store) throws Exception {
    RandomGenerator random = new SplittableRandom(SEED ^ store.ordinal());
    try (Target target = Target.of(store, temp)) {
      long committed = 0;
      for (int round = 1; round <= ROUNDS; round++) {
        ChildRun run = runUntilKilled(target, round, random);
        String context = context(store, round, run);
        assertThat(run.resumedAt()).as("%s: the checkpoint a restart finds is where the killed child had committed, or after", context)
            .isGreaterThanOrEqualTo(committed).isLessThanOrEqualTo(head);
        assertThat(run.lastReported()).as("%s: the child committed batches before the kill", context).isGreaterThan(run.resumedAt());
        assertThat(run.lastReported()).as("%s: the kill interrupted the fold", context).isLessThan(head);
        System.out.printf("%s: resumed at %d, killed at %d (%d ms after it was ready)%n", context, run.resumedAt(),
            run.lastReported(), run.killedAfterMillis());
        committed = run.lastReported();
      }
      try (ViewStore views = target.open();
          FileEventStore events = FileEventStore.open(log)) {
        long checkpoint = checkpoint(views, target.view());
        assertThat(checkpoint).as("%s: the checkpoint after the last kill", store).isGreaterThanOrEqualTo(committed).isLessThan(head);
        assertThat(runToHead(events, views, target.view())).as("%s, seed %d: every key's tally", store, SEED)
            .isEqualTo(Tallies.fromScratch(events, head));
      }
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aFlippedTailOfTheEmbeddedFileOpensAtAnEarlierConsistentVersion() throws Exception {
    try (Target target = Target.of(Store.EMBEDDED, temp)) {
      ChildRun run = runUntilKilled(target, 1, new SplittableRandom(SEED));
      flip(target.file(), Files.size(target.file()) - FLIPPED_TAIL_BYTES, FLIPPED_TAIL_BYTES);
      try (ViewStore views = target.open();
          FileEventStore events = FileEventStore.open(log)) {
        long checkpoint = checkpoint(views, target.view());
        System.out.printf("flipped tail: killed at %d, the damaged file opened at %d%n", run.lastReported(), checkpoint);
        assertThat(checkpoint).as("seed %d: an earlier version than the one the child committed last", SEED)
            .isPositive().isLessThan(run.lastReported());
        assertThat(contents(views, Tallies.view(target.view(), 1), Spaces.first(Tallies.view(target.view(), 1))))
            .as("seed %d: the version it opened at is whole", SEED).isEqualTo(Tallies.fromScratch(events, checkpoint));
        assertThat(runToHead(events, views, target.view())).isEqualTo(Tallies.fromScratch(events, head));
      }
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void anEmbeddedFileWithBothHeadersDestroyedIsRefusedAndRebuiltOnceDeleted() throws Exception {
    try (Target target = Target.of(Store.EMBEDDED, temp)) {
      runUntilKilled(target, 1, new SplittableRandom(SEED));
      flip(target.file(), 0, MVSTORE_HEADERS_BYTES);
      assertThatThrownBy(target::open).isInstanceOf(ViewStoreException.class)
          .hasMessageContaining("cannot open the view store " + target.file()).hasMessageContaining("corrupt");

      Files.delete(target.file()); // a view is derived data: the log rebuilds it
      try (ViewStore views = target.open();
          FileEventStore events = FileEventStore.open(log)) {
        assertThat(views.liveSpace(target.view())).isNull();
        assertThat(runToHead(events, views, target.view())).isEqualTo(Tallies.fromScratch(events, head));
      }
    }
  }

  // --- the child --------------------------------------------------------------------------------

  /**
   * One child, from its start to the kill.
   *
   * @param resumedAt the checkpoint it found when it started
   * @param lastReported the last position it reported committed
   * @param killedAfterMillis from its READY line to the kill
   */
  private record ChildRun(long resumedAt, long lastReported, long killedAfterMillis, Path stderr) {}

  /**
   * Starts a child on {@code target} and kills it once it has reported a position a random share
   * of the way to the head, plus a random few milliseconds, so the kill lands anywhere in the
   * cycle of fold, commit and report.
   */
  private ChildRun runUntilKilled(Target target, int round, RandomGenerator random) throws Exception {
    Path stderr = temp.resolve("child-" + target.store() + "-" + round + ".stderr");
    try (var child = ChildProcess.start(ProjectionChild.class, stderr, log.toString(), target.childArgument(), target.view(),
        Integer.toString(target.store().batchSize))) {
      String[] ready = child.nextLine(WAIT).split(" ");
      assertThat(ready[0]).as("the child's first line; its stderr: %s", child.stderrTail()).isEqualTo(ProjectionChild.READY);
      assertThat(Long.parseLong(ready[1])).as("the head the child sees").isEqualTo(head);
      long resumedAt = Long.parseLong(ready[2]);
      long readyNanos = System.nanoTime();
      long share = (long) ((head - resumedAt) * random.nextDouble(KILL_SHARE_MIN, KILL_SHARE_MAX));
      long killAt = resumedAt + Math.max(target.store().batchSize, share);
      long reported = resumedAt;
      while (reported < killAt) {
        String[] line = child.nextLine(WAIT).split(" ");
        assertThat(line[0]).as("a progress line before the kill; the child's stderr: %s", child.stderrTail()).isEqualTo(ProjectionChild.AT);
        reported = Long.parseLong(line[1]);
      }
      child.killAfter(Duration.ofMillis(random.nextInt(KILL_DELAY_MAX_MILLIS + 1)));
      long killedAfterMillis = (System.nanoTime() - readyNanos) / 1_000_000;
      assertThat(child.exitValue()).as("the child's exit status (128 + signal)").isEqualTo(KILLED_BY_SIGKILL);
      for (String line : child.remainingLines()) {
        String[] fields = line.split(" ");
        assertThat(fields[0]).as("a line the child wrote before the kill").isEqualTo(ProjectionChild.AT);
        reported = Math.max(reported, Long.parseLong(fields[1]));
      }
      return new ChildRun(resumedAt, reported, killedAfterMillis, stderr);
    }
  }

  private static String context(Store store, int round, ChildRun run) {
    return store + " round " + round + " (seed " + SEED + ", child stderr " + run.stderr() + ")";
  }

  // --- the parent's restart ---------------------------------------------------------------------

  private static long checkpoint(ViewStore views, String view) {
    String space = views.liveSpace(view);
    assertThat(space).as("the live space of %s", view).isNotNull();
    return views.checkpoint(space);
  }

  /** Runs the tally view in this process until it has applied the head; returns its values. */
  private static Map<String, Tally> runToHead(FileEventStore events, ViewStore store, String name) {
    KeyValueView<TallyEvent, Tally> view = Tallies.view(name, 1);
    try (Views views = Views.builder(events, store).add(view).start()) {
      ViewReader<Tally> reader = views.reader(view);
      reader.get("k0", head, WAIT);
      assertThat(views.status(name).position()).isEqualTo(head);
      var values = new HashMap<String, Tally>();
      for (int i = 0; i < KEYS; i++) {
        Tally tally = reader.get("k" + i);
        if (tally != null) {
          values.put("k" + i, tally);
        }
      }
      return values;
    }
  }

  /** The values of {@code space} as stored, without running the view. */
  private static Map<String, Tally> contents(ViewStore store, KeyValueView<TallyEvent, Tally> view, String space) {
    var target = new KeyValueTarget<>(view, store, space, ViewOptions.defaults().cachedValuesMax());
    var values = new HashMap<String, Tally>();
    for (int i = 0; i < KEYS; i++) {
      Tally tally = target.read("k" + i);
      if (tally != null) {
        values.put("k" + i, tally);
      }
    }
    return values;
  }

  /** Inverts {@code length} bytes of {@code file} from {@code offset}. */
  private static void flip(Path file, long offset, int length) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.allocate(length);
      while (bytes.hasRemaining()) {
        if (channel.read(bytes, offset + bytes.position()) < 0) {
          throw new EOFException(file + " ends before " + (offset + length));
        }
      }
      for (int i = 0; i < length; i++) {
        bytes.put(i, (byte) ~bytes.get(i));
      }
      bytes.flip();
      while (bytes.hasRemaining()) {
        channel.write(bytes, offset + bytes.position());
      }
    }
  }
}

package io.chiplog.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.chiplog.api.AppendResult;
import io.chiplog.api.RecordedEvent;
import io.chiplog.store.CrashingAppender.Ack;
import io.chiplog.store.CrashingAppender.Part;
import io.chiplog.testkit.TestEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real crash test of {@link FileEventStore}: a child JVM ({@link CrashingAppender}) appends
 * from eight threads with the default durability (fsync before acknowledgement) and is killed
 * with SIGKILL at a random moment; the test then reopens the directory, which runs recovery, and
 * checks what recovery kept:
 *
 * <ul>
 *   <li>every acknowledged append is there, at its acknowledged positions, with its ids, data,
 *       stream and revision, and it satisfied the expected revision and DCB condition it was
 *       accepted with;
 *   <li>positions run 1..head without a gap, and what the previous round recovered is unchanged;
 *   <li>every append in the log is whole (acknowledged or not: one in flight at the kill may be
 *       kept or dropped, but never in part);
 *   <li>each stream's revisions run 0..n-1 in position order, and {@code verify()} finds the
 *       indexes in agreement with the log.
 * </ul>
 *
 * <p>The same directory is reused round after round ({@code chiplog.crash.rounds}, default 20),
 * so each recovery starts from what the last one and a new child left. The seed
 * ({@code chiplog.seed}, random unless given) fixes the waits before the kills and the children's
 * workloads, not the thread timing; it is printed with every failure. Each child's stderr (the
 * store's log) goes to a file per round, kept after a failure with the store directory. The
 * children use the default options; {@code -Dchiplog.crash.durability=NO_FSYNC} (acknowledged
 * appends must survive a process crash either way) moves most kills into a {@code write} and so
 * tears batches far more often.
 *
 * <p>Recovery happens when this test reopens the directory, so it measures what recovery cut
 * itself, rather than in the next child's log: the bytes the segment files hold before (less
 * zero-filled space) against the log's size after.
 */
class KillRecoveryIT {
  private static final int ROUNDS = Integer.getInteger("chiplog.crash.rounds", 20);
  /** FSYNC, the default; NO_FSYNC makes the writes, not the fsyncs, where most kills land. */
  private static final String DURABILITY = System.getProperty("chiplog.crash.durability", Durability.FSYNC.name());
  private static final int THREADS = 8;
  private static final int KILL_AFTER_MIN_MILLIS = 200;
  private static final int KILL_AFTER_MAX_MILLIS = 1_500;
  /** What {@link Process#exitValue()} reports for a process ended by signal 9. */
  private static final int KILLED_BY_SIGKILL = 128 + 9;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path temp;

  /** Identifies the event stored at a position, to compare logs across rounds. */
  private record Stored(UUID id, String digest) {
    static Stored of(RecordedEvent event) {
      return new Stored(event.id(), CrashingAppender.digest(event.data()));
    }
  }

  /**
   * What one child did before it was killed.
   *
   * @param readyMillis from starting the child to its READY line
   * @param killedAfterMillis the wait between READY and the kill
   * @param acks the acknowledged appends it reported, each on a complete line
   * @param lastLineCut whether the kill cut a line short (it is ignored)
   * @param stderr the file holding its stderr
   */
  private record Crash(long readyMillis, long killedAfterMillis, List<Ack> acks, boolean lastLineCut, Path stderr) {}

  /**
   * What reopening after a crash found.
   *
   * @param log the recovered log, position {@code i + 1} at index {@code i}
   * @param cutBytes bytes of a torn write that recovery left out of the log
   * @param appendsKept appends recovered this round, acknowledged or not
   */
  private record Recovered(List<Stored> log, long cutBytes, int appendsKept) {}

  /** Running totals for the summary line. */
  private record Totals(int rounds, long appends, long events, long unacknowledgedKept, int tornTailRounds, long cutBytes) {
    Totals plus(Crash crash, Recovered recovered) {
      long acknowledgedEvents = crash.acks().stream().mapToLong(a -> a.ids().size()).sum();
      return new Totals(rounds + 1, appends + crash.acks().size(), events + acknowledgedEvents,
          unacknowledgedKept + recovered.appendsKept() - crash.acks().size(),
          tornTailRounds + (recovered.cutBytes() > 0 ? 1 : 0), cutBytes + recovered.cutBytes());
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void acknowledgedAppendsSurviveSigkillAndRecoveryKeepsOnlyWholeAppends() throws Exception {
    long seed = seed();
    System.out.printf("KillRecoveryIT: seed %d, %d rounds in %s (-Dchiplog.seed=%d replays the waits and workloads)%n",
        seed, ROUNDS, temp, seed);
    RandomGenerator random = new SplittableRandom(seed);
    Path directory = temp.resolve("store");
    var totals = new Totals(0, 0, 0, 0, 0, 0);
    List<Stored> log = List.of();
    for (int round = 1; round <= ROUNDS; round++) {
      Crash crash = null;
      try {
        crash = appendUntilKilled(directory, round, log.size(), random);
        long started = System.nanoTime();
        Recovered recovered = recoverAndCheck(directory, crash, log);
        long checkMillis = (System.nanoTime() - started) / 1_000_000;
        log = recovered.log();
        totals = totals.plus(crash, recovered);
        printRound(round, crash, recovered, checkMillis);
      } catch (AssertionError | Exception e) {
        throw new AssertionError("seed " + seed + ", round " + round + " (store and child stderr kept in " + temp
            + (crash == null ? "" : ", see " + crash.stderr()) + "): " + e.getMessage(), e);
      }
    }
    System.out.printf("KillRecoveryIT summary: %d rounds run, %d acknowledged appends (%d events) verified, %d rounds with"
            + " a torn tail cut (%d bytes), %d unacknowledged appends recovered whole, head %d, seed %d%n",
        totals.rounds(), totals.appends(), totals.events(), totals.tornTailRounds(), totals.cutBytes(),
        totals.unacknowledgedKept(), log.size(), seed);
    // A run whose children never got an append acknowledged would pass every check vacuously.
    assertThat(totals.appends()).as("acknowledged appends over all rounds").isPositive();
  }

  private static void printRound(int round, Crash crash, Recovered recovered, long checkMillis) {
    System.out.printf("round %d: ready in %d ms, killed %d ms later; %d appends acknowledged, %d kept unacknowledged;"
            + " head %d; recovery cut %d bytes%s; checked in %d ms%n", round, crash.readyMillis(), crash.killedAfterMillis(),
        crash.acks().size(), recovered.appendsKept() - crash.acks().size(), recovered.log().size(), recovered.cutBytes(),
        crash.lastLineCut() ? "; the kill cut the last ACK line" : "", checkMillis);
  }

  private static long seed() {
    Long given = Long.getLong("chiplog.seed");
    return given != null ? given : ThreadLocalRandom.current().nextLong();
  }

  // --- the child --------------------------------------------------------------------------------

  private Crash appendUntilKilled(Path directory, int round, long expectedHead, RandomGenerator random)
      throws Exception {
    Path stderr = temp.resolve("child-" + round + ".stderr");
    long started = System.nanoTime();
    Process child = startChild(directory, random.nextLong(), stderr);
    try {
      InputStream stdout = child.getInputStream();
      // A store the parent closed cleanly must open with the head the parent saw.
      assertThat(readLine(stdout)).as("the child's first line; its stderr: %s", tail(stderr))
          .isEqualTo(CrashingAppender.READY + " " + expectedHead);
      long readyMillis = (System.nanoTime() - started) / 1_000_000;
      CompletableFuture<byte[]> rest = CompletableFuture.supplyAsync(() -> readAll(stdout));
      long wait = random.nextLong(KILL_AFTER_MIN_MILLIS, KILL_AFTER_MAX_MILLIS + 1);
      // The randomized wait is the point of the test: the kill lands anywhere in the write path.
      assertThat(child.waitFor(wait, TimeUnit.MILLISECONDS)).as("the child exited on its own; its stderr: %s", tail(stderr))
          .isFalse();
      kill(child);
      byte[] output = rest.get(30, TimeUnit.SECONDS);
      assertThat(tail(stderr)).as("the child's stderr: a cleanly closed store opens without warnings")
          .doesNotContain("] WARN ", "] ERROR ");
      List<Ack> acks = completeLines(output).stream().map(Ack::parse).toList();
      return new Crash(readyMillis, wait, acks, !endsWithNewline(output), stderr);
    } finally {
      child.destroyForcibly();
    }
  }

  /**
   * Sends SIGKILL through the process handle: {@link Process#destroyForcibly()} would also close
   * our end of the pipe, losing the ACK lines still in it.
   */
  private static void kill(Process child) throws InterruptedException {
    assertThat(child.toHandle().destroyForcibly()).as("SIGKILL sent").isTrue();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child is gone 30 s after SIGKILL").isTrue();
    assertThat(child.exitValue()).as("the child's exit status (128 + signal)").isEqualTo(KILLED_BY_SIGKILL);
    assertThat(child.toHandle().isAlive()).isFalse();
  }

  /**
   * The child runs on the test's own JDK (21 or later) and classpath. It lives about a second:
   * C1 alone gets it appending sooner than waiting for C2 on a small machine, and VM warnings go
   * to stderr so that stdout holds only its report.
   */
  private static Process startChild(Path directory, long seed, Path stderr) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException("no java command"));
    return new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-XX:+DisplayVMOutputToStderr", "-cp", System.getProperty("java.class.path"), CrashingAppender.class.getName(),
        directory.toString(), Long.toString(seed), Integer.toString(THREADS), DURABILITY)
        .redirectError(stderr.toFile())
        .start();
  }

  /** Reads up to a newline; the child prints READY before anything else, or dies trying. */
  private static String readLine(InputStream in) throws IOException {
    var line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        return "(end of output: " + line.toString(StandardCharsets.UTF_8) + ")";
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The lines that end with a newline: a line the kill cut short was never a complete report. */
  private static List<String> completeLines(byte[] output) {
    String text = new String(output, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
  }

  private static boolean endsWithNewline(byte[] output) {
    return output.length == 0 || output[output.length - 1] == '\n';
  }

  private static String tail(Path file) throws IOException {
    if (!Files.exists(file)) {
      return "(none)";
    }
    String text = Files.readString(file);
    return text.length() <= 4_000 ? text : "..." + text.substring(text.length() - 4_000);
  }

  // --- recovery and its checks ------------------------------------------------------------------

  private static Recovered recoverAndCheck(Path directory, Crash crash, List<Stored> before) throws IOException {
    long bytesBefore = writtenLogBytes(directory);
    try (var store = FileEventStore.open(directory)) {
      long cutBytes = bytesBefore - store.logSizeBytes();
      List<RecordedEvent> events = TestEvents.readAll(store);
      assertThat(store.head()).as("head").isEqualTo(events.size());
      checkPositionsAreDense(events);
      checkEarlierLogKept(events, before);
      for (Ack ack : crash.acks()) {
        checkAcknowledged(events, ack);
      }
      int appends = checkWholeAppendsOnly(events, before.size());
      checkStreamRevisions(events);
      assertThat(store.verify().problems()).as("verify() after recovery").isEmpty();
      return new Recovered(events.stream().map(Stored::of).toList(), cutBytes, appends);
    }
  }

  /**
   * The bytes the segment files hold, less the zeros that end the last one: a store may zero-fill
   * ahead of its writer, and such space is no torn write. What recovery leaves out of this is
   * what it cut.
   */
  private static long writtenLogBytes(Path directory) throws IOException {
    List<Path> segments;
    try (Stream<Path> files = Files.list(directory.resolve("log"))) {
      segments = files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
    }
    long total = 0;
    for (int i = 0; i < segments.size() - 1; i++) {
      total += Files.size(segments.get(i));
    }
    return segments.isEmpty() ? 0 : total + endOfNonZeroBytes(segments.getLast());
  }

  private static long endOfNonZeroBytes(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      var window = ByteBuffer.allocate(1 << 16);
      for (long end = channel.size(); end > 0; end = Math.max(0, end - window.capacity())) {
        long start = Math.max(0, end - window.capacity());
        window.clear().limit(Math.toIntExact(end - start));
        while (window.hasRemaining()) {
          if (channel.read(window, start + window.position()) < 0) {
            break;
          }
        }
        for (int i = window.position() - 1; i >= 0; i--) {
          if (window.get(i) != 0) {
            return start + i + 1;
          }
        }
      }
      return 0;
    }
  }

  private static void checkPositionsAreDense(List<RecordedEvent> events) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).position() != i + 1) {
        fail("the %d. event read has position %d", i + 1, events.get(i).position());
      }
    }
  }

  /** What a recovery showed and a clean close kept must never change. */
  private static void checkEarlierLogKept(List<RecordedEvent> events, List<Stored> before) {
    assertThat(events.size()).as("events after recovery, at least those of the previous round")
        .isGreaterThanOrEqualTo(before.size());
    for (int i = 0; i < before.size(); i++) {
      if (!Stored.of(events.get(i)).equals(before.get(i))) {
        fail("position %d held %s in the previous round and now %s", i + 1, before.get(i), Stored.of(events.get(i)));
      }
    }
  }

  private static void checkAcknowledged(List<RecordedEvent> events, Ack ack) {
    AppendResult result = ack.result();
    assertThat(result.eventCount()).as("events of %s", result).isEqualTo(ack.ids().size());
    if (result.lastPosition() > events.size()) {
      fail("acknowledged %s was lost: the recovered log ends at position %d", result, events.size());
    }
    for (int i = 0; i < ack.ids().size(); i++) {
      RecordedEvent event = events.get(Math.toIntExact(result.firstPosition() - 1 + i));
      if (!event.id().equals(ack.ids().get(i)) || !CrashingAppender.digest(event.data()).equals(ack.digests().get(i))
          || !Objects.equals(event.stream(), ack.stream())) {
        fail("acknowledged %s event %d was %s in stream %s with data crc %s; recovered %s with data crc %s", result, i,
            ack.ids().get(i), ack.stream(), ack.digests().get(i), event, CrashingAppender.digest(event.data()));
      }
    }
    RecordedEvent first = events.get(Math.toIntExact(result.firstPosition() - 1));
    RecordedEvent last = events.get(Math.toIntExact(result.lastPosition() - 1));
    assertThat(last.revision()).as("stream revision of acknowledged %s", result).isEqualTo(result.streamRevision());
    if (ack.stream() != null) {
      assertThat(ack.expected().isSatisfiedBy(first.revision() - 1))
          .as("%s accepted expecting %s of stream %s, which had revision %d", result, ack.expected(), ack.stream(),
              first.revision() - 1)
          .isTrue();
    }
    checkConditionHeld(events, ack);
  }

  /** No event between the condition's position and the append matched the condition's query. */
  private static void checkConditionHeld(List<RecordedEvent> events, Ack ack) {
    if (ack.condition() == null) {
      return;
    }
    for (long p = ack.condition().after() + 1; p < ack.result().firstPosition(); p++) {
      RecordedEvent event = events.get(Math.toIntExact(p - 1));
      if (ack.condition().failIfEventsMatch().matches(event)) {
        fail("%s was accepted with condition %s, but %s matches it", ack.result(), ack.condition(), event);
      }
    }
  }

  /**
   * Each append's events lie together, in order, all of them, as their {@link Part} tags say.
   * Returns how many appends begin after position {@code from}.
   */
  private static int checkWholeAppendsOnly(List<RecordedEvent> events, int from) {
    Set<String> seen = new HashSet<>();
    int appendsAfterFrom = 0;
    for (int i = 0; i < events.size(); ) {
      RecordedEvent first = events.get(i);
      Part head = Part.of(first);
      assertThat(head.index()).as("%s begins the append %s", first, head.append()).isZero();
      assertThat(seen.add(head.append())).as("append %s appears a second time at %s", head.append(), first).isTrue();
      if (i + head.size() > events.size()) {
        fail("the log ends inside append %s: %d of its %d events are stored, from %s", head.append(), events.size() - i,
            head.size(), first);
      }
      for (int index = 1; index < head.size(); index++) {
        RecordedEvent event = events.get(i + index);
        if (!Part.of(event).equals(new Part(head.append(), index, head.size()))
            || !Objects.equals(event.stream(), first.stream())) {
          fail("append %s of %d events from %s holds at its place %d %s", head.append(), head.size(), first, index, event);
        }
      }
      appendsAfterFrom += i >= from ? 1 : 0;
      i += head.size();
    }
    return appendsAfterFrom;
  }

  private static void checkStreamRevisions(List<RecordedEvent> events) {
    Map<String, Long> next = new HashMap<>();
    for (RecordedEvent event : events) {
      String stream = event.stream();
      if (stream != null) {
        long expected = next.getOrDefault(stream, 0L);
        if (event.revision() != expected) {
          fail("%s has revision %d where %d was expected", event, event.revision(), expected);
        }
        next.put(stream, expected + 1);
      }
    }
  }
}

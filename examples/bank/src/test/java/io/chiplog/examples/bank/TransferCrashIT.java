package io.chiplog.examples.bank;

import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.model.Recorded;
import io.chiplog.store.FileEventStore;
import io.chiplog.testkit.ChildProcess;
import io.chiplog.workflows.WorkflowInfo;
import io.chiplog.workflows.WorkflowStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test of transfers: a child JVM ({@link TransferChild}) runs the bank and the workflow
 * engine on a {@link FileEventStore} and starts transfers from several threads, and is killed
 * with SIGKILL at a random moment once it has started some, {@code chiplog.crash.rounds} times
 * (8 unless told); each child first resumes what the killed one left. Then this test runs the
 * engine itself until every transfer started has ended, and checks against the log:
 *
 * <ul>
 *   <li>every transfer ended COMPLETED or COMPENSATED: none FAILED, none stuck;
 *   <li>the money over all accounts is what was deposited, and no account is negative; each
 *       account's events chain (each balance is the one before plus or minus the amount);
 *   <li>each transfer withdrew at most once, deposited at most once and refunded at most once,
 *       each from or to its own accounts for its amount; a COMPLETED one withdrew and deposited,
 *       a COMPENSATED one did nothing or withdrew and refunded;
 *   <li>every transfer a child reported started is in the log, and one it reported ended kept
 *       that status;
 *   <li>every kill interrupted transfers: the next run found some started and not ended;
 *   <li>every withdrawal and deposit of a transfer is followed at once by the transfer's
 *       transition: they are decision steps, appended with it, so no kill can fall between them.
 *       A refund is an effect (a compensation): a kill between it and its record makes it run
 *       again, and its operation key makes that a no-op (counted, since a kill lands there only
 *       by chance).
 * </ul>
 *
 * <p>The seed ({@code chiplog.seed}, random unless given) fixes the transfers each thread asks for
 * and the kill points, not the timing; failures print it. Failsafe forks the test JVM, so
 * properties go in through {@code -DargLine="-Dchiplog.seed=... -Dchiplog.crash.rounds=20"}.
 */
class TransferCrashIT {
  private static final int ROUNDS = Integer.getInteger("chiplog.crash.rounds", 8);
  private static final int THREADS = 4;
  /** A child is killed once it has reported between these many transfers started, plus a few ms. */
  private static final int KILL_AFTER_STARTED_MIN = 30;
  private static final int KILL_AFTER_STARTED_MAX = 200;
  private static final int KILL_DELAY_MAX_MILLIS = 30;
  private static final Duration LINE_WAIT = Duration.ofSeconds(60);
  private static final Duration END_WAIT = Duration.ofSeconds(60);
  /** What {@link Process#exitValue()} reports for a process ended by signal 9. */
  private static final int KILLED_BY_SIGKILL = 128 + 9;
  private static final long SEED = seed();

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path temp;

  private final Set<String> reportedStarted = new LinkedHashSet<>();
  /** The log's head at each restart: what the kill before it left. */
  private final List<Long> restartHeads = new ArrayList<>();
  private final Map<String, WorkflowStatus> reportedEnded = new HashMap<>();

  private static long seed() {
    Long given = Long.getLong("chiplog.seed");
    return given != null ? given : ThreadLocalRandom.current().nextLong();
  }

  /** One child, from its start to the kill: what the log held open when it started, and what it reported. */
  private record ChildRun(int openAtStart, long headAtStart, int started, int ended, long killedAfterMillis) {}

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void transfersKilledMidRunAgainAndAgainEndOnceAndKeepTheMoney() throws Exception {
    RandomGenerator random = new SplittableRandom(SEED);
    Path data = temp.resolve("data");
    System.out.printf("TransferCrashIT: seed %d (-Dchiplog.seed=%d replays the transfers asked for and the kill points)%n",
        SEED, SEED);
    for (int round = 1; round <= ROUNDS; round++) {
      ChildRun run = runUntilKilled(data, round, random);
      System.out.printf("round %d: resumed %d open, started %d, saw %d end, killed %d ms after READY%n", round,
          run.openAtStart(), run.started(), run.ended(), run.killedAfterMillis());
      if (round > 1) {
        assertThat(run.openAtStart()).as("%s: the kill of round %d interrupted transfers", context(round), round - 1)
            .isPositive();
        restartHeads.add(run.headAtStart());
      }
    }

    try (var store = FileEventStore.open(data)) {
      Set<String> open = Ledger.open(store);
      Set<String> started = Ledger.started(store);
      assertThat(open).as("seed %d: the last kill interrupted transfers", SEED).isNotEmpty();
      restartHeads.add(store.head());
      assertThat(started).as("seed %d: every transfer a child reported started is in the log", SEED)
          .containsAll(reportedStarted);
      Map<String, WorkflowInfo<Transfer>> ended = runUntilAllEnded(store, started);
      System.out.printf("final run: resumed %d open; %d transfers in all%n", open.size(), started.size());
      checkOutcomes(ended);
      List<Recorded<BankEvent>> events = Ledger.bankEvents(store);
      checkMoney(store, events, ended);
      checkEffectsAcrossKills(store, Ledger.operationsByTransfer(events));
    }
  }

  // ---- the children --------------------------------------------------------------------------

  private ChildRun runUntilKilled(Path data, int round, RandomGenerator random) throws Exception {
    Path stderr = temp.resolve("child-" + round + ".stderr");
    try (var child = ChildProcess.start(TransferChild.class, stderr, data.toString(), Integer.toString(round),
        Boolean.toString(round == 1), Integer.toString(THREADS), Long.toString(random.nextLong()))) {
      String[] ready = child.nextLine(LINE_WAIT).split(" ");
      assertThat(ready[0]).as("the child's first line; its stderr: %s", child.stderrTail()).isEqualTo(TransferChild.READY);
      long readyNanos = System.nanoTime();
      int killAt = random.nextInt(KILL_AFTER_STARTED_MIN, KILL_AFTER_STARTED_MAX + 1);
      var counts = new int[2];
      while (counts[0] < killAt) {
        read(child.nextLine(LINE_WAIT), counts, round);
      }
      child.killAfter(Duration.ofMillis(random.nextInt(KILL_DELAY_MAX_MILLIS + 1)));
      long killedAfterMillis = (System.nanoTime() - readyNanos) / 1_000_000;
      assertThat(child.exitValue()).as("the child's exit status (128 + signal); its stderr: %s", child.stderrTail())
          .isEqualTo(KILLED_BY_SIGKILL);
      for (String line : child.remainingLines()) {
        read(line, counts, round);
      }
      return new ChildRun(Integer.parseInt(ready[1]), Long.parseLong(ready[2]), counts[0], counts[1], killedAfterMillis);
    }
  }

  /** Takes in one report line; counts[0] counts starts, counts[1] ends. */
  private void read(String line, int[] counts, int round) {
    String[] fields = line.split(" ");
    switch (fields[0]) {
      case TransferChild.STARTED -> {
        assertThat(reportedStarted.add(fields[1])).as("%s: %s started once", context(round), fields[1]).isTrue();
        counts[0]++;
      }
      case TransferChild.ENDED -> {
        assertThat(fields).as("%s: %s", context(round), line).hasSize(3);
        reportedEnded.put(fields[1], WorkflowStatus.valueOf(fields[2]));
        counts[1]++;
      }
      default -> throw new AssertionError(context(round) + ": an unexpected line from the child: " + line);
    }
  }

  private static String context(int round) {
    return "round " + round + " (seed " + SEED + ")";
  }

  // ---- the final run and the checks ----------------------------------------------------------

  /** Runs the engine in this process until every transfer in {@code ids} has ended. */
  private static Map<String, WorkflowInfo<Transfer>> runUntilAllEnded(FileEventStore store, Set<String> ids)
      throws Exception {
    BankApp.Running running = BankApp.run(store, new SimpleMeterRegistry());
    try {
      long deadline = System.nanoTime() + END_WAIT.toNanos();
      var ended = new HashMap<String, WorkflowInfo<Transfer>>();
      for (String id : ids) {
        long left = Math.max(1, deadline - System.nanoTime());
        try {
          ended.put(id, running.workflows().awaitEnd(running.transfer(), id).get(left, TimeUnit.NANOSECONDS));
        } catch (java.util.concurrent.TimeoutException stuck) {
          throw new AssertionError("seed " + SEED + ": transfer " + id + " has not ended within " + END_WAIT + ": "
              + running.workflows().info(running.transfer(), id), stuck);
        }
      }
      return ended;
    } finally {
      running.workflows().close();
    }
  }

  private void checkOutcomes(Map<String, WorkflowInfo<Transfer>> ended) {
    var byStatus = new HashMap<WorkflowStatus, List<String>>();
    ended.forEach((id, info) -> byStatus.computeIfAbsent(info.status(), status -> new ArrayList<>()).add(id));
    System.out.printf("outcomes: %s%n", counts(byStatus));
    assertThat(byStatus.keySet()).as("seed %d: every transfer COMPLETED or COMPENSATED; the others: %s", SEED, byStatus)
        .containsOnly(WorkflowStatus.COMPLETED, WorkflowStatus.COMPENSATED);
    reportedEnded.forEach((id, status) -> assertThat(ended.get(id).status())
        .as("seed %d: transfer %s, reported %s by a child", SEED, id, status).isEqualTo(status));
  }

  private static Map<WorkflowStatus, Integer> counts(Map<WorkflowStatus, List<String>> byStatus) {
    var counts = new HashMap<WorkflowStatus, Integer>();
    byStatus.forEach((status, ids) -> counts.put(status, ids.size()));
    return counts;
  }

  private static void checkMoney(FileEventStore store, List<Recorded<BankEvent>> events,
      Map<String, WorkflowInfo<Transfer>> ended) {
    var balances = new HashMap<String, Long>();
    for (Recorded<BankEvent> recorded : events) {
      BankEvent event = recorded.event();
      long before = balances.getOrDefault(event.account(), 0L);
      long expected = switch (event) {
        case BankEvent.AccountOpened o -> 0;
        case BankEvent.Deposited d -> before + d.amount();
        case BankEvent.Withdrawn w -> before - w.amount();
        case BankEvent.AccountClosed c -> before;
      };
      assertThat(event.balance()).as("seed %d: the balance after %s (it was %d)", SEED, event, before).isEqualTo(expected);
      balances.put(event.account(), event.balance());
    }
    assertThat(balances.keySet()).as("the accounts").hasSize(TransferChild.ACCOUNTS);
    assertThat(balances.values()).as("seed %d: no account is negative", SEED).allSatisfy(b -> assertThat(b).isNotNegative());
    assertThat(balances.values().stream().mapToLong(Long::longValue).sum()).as("seed %d: the money over all accounts", SEED)
        .isEqualTo(TransferChild.ACCOUNTS * TransferChild.FUNDS);
    var bank = new Bank(new io.chiplog.model.Commands(store));
    balances.forEach((account, balance) -> assertThat(bank.account(account)).as(account).isNotNull()
        .extracting(Account::balance).isEqualTo(balance));

    Map<String, Ledger.Operations> operations = Ledger.operationsByTransfer(events);
    assertThat(ended.keySet()).as("seed %d: every operation of a transfer belongs to one started", SEED)
        .containsAll(operations.keySet());
    int completed = 0;
    int refunded = 0;
    int refused = 0;
    for (var entry : ended.entrySet()) {
      Transfer transfer = entry.getValue().state();
      Ledger.Operations done = operations.getOrDefault(entry.getKey(), Ledger.Operations.none());
      String what = "seed " + SEED + ": transfer " + entry.getKey() + " " + transfer + " ended " + entry.getValue().status()
          + " (" + entry.getValue().reason() + ") with " + done;
      assertThat(done.withdrawals()).as(what).hasSizeLessThanOrEqualTo(1)
          .allSatisfy(w -> assertThat(List.of(w.account(), w.amount())).isEqualTo(List.of(transfer.from(), transfer.amount())));
      assertThat(done.deposits()).as(what).hasSizeLessThanOrEqualTo(1)
          .allSatisfy(d -> assertThat(List.of(d.account(), d.amount())).isEqualTo(List.of(transfer.to(), transfer.amount())));
      assertThat(done.refunds()).as(what).hasSizeLessThanOrEqualTo(1)
          .allSatisfy(r -> assertThat(List.of(r.account(), r.amount())).isEqualTo(List.of(transfer.from(), transfer.amount())));
      var shape = List.of(done.withdrawals().size(), done.deposits().size(), done.refunds().size());
      if (entry.getValue().status() == WorkflowStatus.COMPLETED) {
        assertThat(shape).as(what).isEqualTo(List.of(1, 1, 0));
        completed++;
      } else {
        assertThat(shape).as(what).isIn(List.of(0, 0, 0), List.of(1, 0, 1));
        if (shape.getFirst() == 1) {
          refunded++;
        } else {
          refused++;
        }
      }
    }
    System.out.printf("completed %d, refunded %d, refused at the withdrawal %d%n", completed, refunded, refused);
    assertThat(List.of(completed, refunded, refused)).as("seed %d: each path ran: completed, refunded, refused", SEED)
        .allSatisfy(count -> assertThat(count).isPositive());
  }

  /**
   * Checks that each withdrawal and deposit was appended with its transition (the next position
   * holds an event of the transfer's stream), and counts the refunds whose transition was recorded
   * by a later process than the refund: at or before a restart's head, the record after it.
   */
  private void checkEffectsAcrossKills(FileEventStore store, Map<String, Ledger.Operations> operations) {
    int crossed = 0;
    for (var entry : operations.entrySet()) {
      List<Long> transitions = Ledger.transitions(store, entry.getKey());
      for (long effect : entry.getValue().positions()) {
        long recorded = transitions.stream().filter(position -> position > effect).findFirst().orElseThrow();
        if (entry.getValue().refundPositions().contains(effect)) {
          if (restartHeads.stream().anyMatch(head -> effect <= head && head < recorded)) {
            crossed++;
          }
        } else {
          assertThat(recorded).as("seed %d: transfer %s's decision at %d is appended with its transition", SEED,
              entry.getKey(), effect).isEqualTo(effect + 1);
        }
      }
    }
    System.out.printf("refunds done before a kill and recorded by the workflow after it: %d%n", crossed);
  }
}

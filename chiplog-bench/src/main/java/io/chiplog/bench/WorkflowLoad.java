package io.chiplog.bench;

import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.examples.bank.Account;
import io.chiplog.examples.bank.Bank;
import io.chiplog.examples.bank.BankAnswer;
import io.chiplog.examples.bank.Transfer;
import io.chiplog.examples.bank.TransferWorkflow;
import io.chiplog.model.Commands;
import io.chiplog.store.Durability;
import io.chiplog.store.FileEventStore;
import io.chiplog.store.StoreOptions;
import io.chiplog.workflows.Transition;
import io.chiplog.workflows.Workflow;
import io.chiplog.workflows.WorkflowInfo;
import io.chiplog.workflows.WorkflowStatus;
import io.chiplog.workflows.Workflows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The load generator of issue 8: bank transfers as workflows ({@code examples/bank}) over the
 * embedded store, end to end. {@code --in-flight} callers (virtual threads) each start a transfer
 * between two random accounts of {@code --accounts}, wait for its end and start the next, so
 * that a completed transfer is two appends: its start with the withdrawal (a decision step
 * decided in the start's append) and its transition, then the deposit with the end. Meanwhile {@code
 * --timers-per-second} "nap" workflows sleep {@code --timer-delay-ms} on a durable timer; the
 * step after the timer records how late it ran (its due time to the moment the step runs, so
 * the firing's append is included), and the engine's {@code WorkflowTimerFired} events say when
 * it took each timer (before that append). After the run, every transfer is awaited and the money over
 * all accounts is checked to be what was deposited.
 *
 * <p>With {@code --rate R} the transfers are started on a fixed schedule of R per second (an open
 * loop; {@code --in-flight} must exceed R times their latency), to measure the timers under a given
 * load rather than at saturation.
 *
 * <pre>
 * java -cp benchmarks.jar io.chiplog.bench.WorkflowLoad --dir /tmp/wf [--duration 20] [--warmup 5]
 *     [--in-flight 64] [--rate 0] [--accounts 10000] [--timers-per-second 500] [--timer-delay-ms 1000]
 *     [--durability FSYNC|NO_FSYNC] [--concurrency-max 1024]
 * </pre>
 */
public final class WorkflowLoad {
  private static final long FUNDS = 1_000_000;

  /** A napping workflow's state: when its timer is due. */
  public record Nap(long dueAt) {}

  private final Map<String, String> flags;
  private final Recorder transferLatency = new Recorder(3);
  private final Recorder timerLateness = new Recorder(3);
  private final LongAdder completed = new LongAdder();
  private final LongAdder naps = new LongAdder();
  private final Map<WorkflowStatus, LongAdder> ends = new EnumMap<>(WorkflowStatus.class);
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private WorkflowLoad(Map<String, String> flags) {
    this.flags = flags;
    for (WorkflowStatus status : WorkflowStatus.values()) {
      ends.put(status, new LongAdder());
    }
  }

  /** Runs the load; see the class comment for the flags. */
  public static void main(String[] args) throws Exception {
    var flags = new HashMap<String, String>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --flag value at " + args[i]);
      }
      flags.put(args[i].substring(2), args[i + 1]);
    }
    new WorkflowLoad(flags).run();
  }

  private int intFlag(String name, int otherwise) {
    return Integer.parseInt(flags.getOrDefault(name, Integer.toString(otherwise)).replace("_", ""));
  }

  private void run() throws Exception {
    Path dir = Path.of(flags.getOrDefault("dir", "/tmp/chiplog-workflow-load"));
    int accounts = intFlag("accounts", 10_000);
    int inFlight = intFlag("in-flight", 64);
    int warmup = intFlag("warmup", 5);
    int duration = intFlag("duration", 20);
    int timersPerSecond = intFlag("timers-per-second", 500);
    int timerDelay = intFlag("timer-delay-ms", 1_000);
    var durability = Durability.valueOf(flags.getOrDefault("durability", "FSYNC"));
    var options = StoreOptions.builder(dir).durability(durability).build();
    try (FileEventStore store = FileEventStore.open(options)) {
      var bank = new Bank(new Commands(store));
      Workflow<Transfer> transfer = TransferWorkflow.define(bank);
      Workflow<Nap> nap = Workflow.builder("nap", Nap.class)
          .step("sleep", (state, step) -> Transition.sleep(Duration.ofMillis(timerDelay), "wake", state))
          .step("wake", (state, step) -> {
            timerLateness.recordValue(Math.max(0, System.currentTimeMillis() - state.dueAt()));
            naps.increment();
            return Transition.end(state);
          })
          .build();
      openAccounts(bank, accounts);
      try (var workflows = Workflows.builder(store).add(transfer).add(nap).meterRegistry(registry)
          .concurrencyMax(intFlag("concurrency-max", 1_024)).start();
          ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
        var started = new AtomicLong();
        int rate = intFlag("rate", 0);
        var pace = new Pace(rate);
        for (int i = 0; i < inFlight; i++) {
          long seed = i;
          callers.execute(() -> transfers(workflows, transfer, accounts, started, new SplittableRandom(seed), pace));
        }
        callers.execute(() -> naps(workflows, nap, timersPerSecond, timerDelay));
        measure(warmup, duration, store, workflows);
        running.set(false);
        callers.shutdown();
        if (!callers.awaitTermination(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the callers did not stop");
        }
        checkMoney(bank, accounts);
        System.out.printf(Locale.ROOT, "# transfers started %d; ended %s; naps woken %d; pending timers %d%n",
            started.get(), ends, naps.sum(), workflows.pendingTimers());
      }
    }
  }

  private static void openAccounts(Bank bank, int accounts) throws InterruptedException {
    long began = System.nanoTime();
    try (ExecutorService openers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < accounts; i++) {
        String id = "a" + i;
        openers.execute(() -> {
          bank.open(id, "owner " + id);
          if (!(bank.deposit(id, FUNDS, "funds-" + id, false) instanceof BankAnswer.Done)) {
            throw new IllegalStateException("cannot fund " + id);
          }
        });
      }
    }
    System.out.printf(Locale.ROOT, "# opened and funded %d accounts in %.1f s%n", accounts,
        (System.nanoTime() - began) / 1e9);
  }

  /**
   * The transfers' schedule: with a rate, each start takes the next slot of one shared schedule
   * (an open loop, as many callers as it needs in flight); without, callers start as fast as
   * their transfers end.
   */
  private static final class Pace {
    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(System.nanoTime());

    Pace(int perSecond) {
      this.intervalNanos = perSecond <= 0 ? 0 : 1_000_000_000L / perSecond;
    }

    void await() {
      if (intervalNanos == 0) {
        return;
      }
      long slot = next.getAndAdd(intervalNanos);
      long wait = slot - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
    }
  }

  private void transfers(Workflows workflows, Workflow<Transfer> transfer, int accounts, AtomicLong started,
      SplittableRandom random, Pace pace) {
    while (running.get()) {
      pace.await();
      int from = random.nextInt(accounts);
      int to = (from + 1 + random.nextInt(accounts - 1)) % accounts;
      String id = "t" + started.incrementAndGet();
      long began = System.nanoTime();
      workflows.start(transfer, id, new Transfer("a" + from, "a" + to, 1 + random.nextInt(100)));
      WorkflowInfo<Transfer> end = workflows.awaitEnd(transfer, id).join();
      transferLatency.recordValue((System.nanoTime() - began) / 1_000);
      ends.get(end.status()).increment();
      completed.increment();
    }
  }

  private void naps(Workflows workflows, Workflow<Nap> nap, int perSecond, int delay) {
    if (perSecond <= 0) {
      return;
    }
    long intervalNanos = 1_000_000_000L / perSecond;
    long next = System.nanoTime();
    long count = 0;
    while (running.get()) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
        continue;
      }
      String id = "n" + count++;
      // Each start on its own thread: a start waits for its append, which must not slow the rate.
      Thread.startVirtualThread(() -> workflows.start(nap, id, new Nap(System.currentTimeMillis() + delay)));
      next += intervalNanos;
    }
  }

  private void measure(int warmup, int duration, FileEventStore store, Workflows workflows) throws InterruptedException {
    Thread.sleep(warmup * 1_000L);
    transferLatency.reset();
    timerLateness.reset();
    long completedBefore = completed.sum();
    long napsBefore = naps.sum();
    long headBefore = store.head();
    long cpuBefore = processCpuNanos();
    long began = System.nanoTime();
    var transfers = transferLatency.getIntervalHistogram();
    var lateness = timerLateness.getIntervalHistogram();
    for (int second = 1; second <= duration; second++) {
      Thread.sleep(1_000);
      System.out.printf(Locale.ROOT, "# %2d s: %,d transfers, %,d naps woken, %,d timers pending%n", second,
          completed.sum() - completedBefore, naps.sum() - napsBefore, workflows.pendingTimers());
    }
    double seconds = (System.nanoTime() - began) / 1e9;
    long done = completed.sum() - completedBefore;
    long events = store.head() - headBefore;
    double cpu = (processCpuNanos() - cpuBefore) / 1e9;
    transferLatency.getIntervalHistogramInto(transfers);
    timerLateness.getIntervalHistogramInto(lateness);
    var firing = registry.get("chiplog.workflow.timer.delay").tag("workflow", "nap").timer().takeSnapshot();
    double recordedP99 = java.util.Arrays.stream(firing.percentileValues())
        .filter(value -> value.percentile() == 0.99).mapToDouble(value -> value.value(TimeUnit.MILLISECONDS))
        .findFirst().orElse(Double.NaN);
    Histogram taken = firingsTaken(store, headBefore, headBefore + events);
    System.out.printf(Locale.ROOT,
        "RESULT transfers/s=%.0f transfer_p50_ms=%.2f transfer_p99_ms=%.2f timers_fired=%d taken_p50_ms=%d "
            + "taken_p99_ms=%d taken_max_ms=%d recorded_p99_ms=%.1f wake_p50_ms=%d wake_p99_ms=%d wake_max_ms=%d "
            + "events/s=%.0f cpu_us_per_transfer=%.0f%n",
        done / seconds, transfers.getValueAtPercentile(50) / 1e3, transfers.getValueAtPercentile(99) / 1e3,
        taken.getTotalCount(), taken.getValueAtPercentile(50), taken.getValueAtPercentile(99), taken.getMaxValue(),
        recordedP99, lateness.getValueAtPercentile(50), lateness.getValueAtPercentile(99), lateness.getMaxValue(),
        events / seconds, cpu * 1e6 / Math.max(1, done));
  }

  private static final Pattern DUE_AT = Pattern.compile("\"dueAt\":(\\d+)");
  private static final Pattern FIRED_AT = Pattern.compile("\"firedAt\":(\\d+)");

  /**
   * How late the engine took each timer recorded in the measured window (positions after {@code
   * from} up to {@code to}): {@code firedAt - dueAt} of the naps' {@code WorkflowTimerFired}
   * events, in ms. It leaves out the firing's own append, which {@code recorded_p99_ms} (the
   * engine's meter, over the whole run, warm-up included) and {@code wake_*} include.
   */
  private static Histogram firingsTaken(FileEventStore store, long from, long to) {
    var histogram = new Histogram(3);
    var query = Query.of(QueryItem.types("WorkflowTimerFired").withTags("workflow:nap"));
    try (Stream<RecordedEvent> fired = store.read(query, ReadOptions.forwards().from(from + 1))) {
      fired.takeWhile(event -> event.position() <= to).forEach(event -> {
        String json = event.dataAsString();
        Matcher due = DUE_AT.matcher(json);
        Matcher firedAt = FIRED_AT.matcher(json);
        if (due.find() && firedAt.find()) {
          histogram.recordValue(Math.max(0, Long.parseLong(firedAt.group(1)) - Long.parseLong(due.group(1))));
        }
      });
    }
    return histogram;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static void checkMoney(Bank bank, int accounts) {
    long total = 0;
    List<String> negative = new ArrayList<>();
    for (int i = 0; i < accounts; i++) {
      Account account = bank.account("a" + i);
      if (account == null) {
        throw new IllegalStateException("account a" + i + " is gone");
      }
      if (account.balance() < 0) {
        negative.add(account.id());
      }
      total += account.balance();
    }
    if (total != accounts * FUNDS || !negative.isEmpty()) {
      throw new IllegalStateException("money not conserved: " + total + " against " + accounts * FUNDS
          + ", negative: " + negative);
    }
    System.out.printf(Locale.ROOT, "# money conserved: %,d cents over %,d accounts%n", total, accounts);
  }
}

package io.chiplog.bench;

import io.chiplog.api.AppendConflictException;
import io.chiplog.api.AppendCondition;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.EventData;
import io.chiplog.api.EventSubscription;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StreamNotFoundException;
import io.chiplog.store.Durability;
import io.chiplog.store.FileEventStore;
import io.chiplog.store.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The macro load generator: one workload per run against a {@link FileEventStore} with the
 * durable default options, reporting throughput and HdrHistogram latency percentiles on one
 * {@code RESULT} line. Every workload stops by itself after {@code --duration}.
 *
 * <pre>
 * java -cp chiplog-bench/target/benchmarks.jar io.chiplog.bench.LoadGenerator WORKLOAD [options]
 *   workloads: concurrent-writers batch-writer dcb-unique-number random-stream-reads read-all
 *              subscription-latency open prefill
 *              entity-command dcb-next-number (chiplog-model, see {@link ModelLoad})
 *   --dir PATH        the store directory (default: a new temporary one, deleted afterwards)
 *   --prefill N       first make sure the store holds N events (NO_FSYNC, batch writer)
 *   --duration SECS   how long the measured phase runs (default 20)
 *   --warmup SECS     an unmeasured phase before it (default 5)
 *   --threads N       worker threads (default: the workload's)
 *   --in-flight N     appends a batch writer keeps in flight (default 1)
 *   --rate N          events/s for subscription-latency (default 10000)
 *   --durability D    FSYNC (default) or NO_FSYNC
 *   --queue-by-key B  ModelOptions.queueByKey for the model workloads (default false)
 *   --books N         dcb-next-number: books per category appended before the run (default 0)
 * </pre>
 */
public final class LoadGenerator {
  private static final long HIGHEST_NANOS = Duration.ofMinutes(2).toNanos();

  private final String workload;
  private final Map<String, String> flags;
  private final double durationSeconds;
  final double warmupSeconds;

  private LoadGenerator(String workload, Map<String, String> flags) {
    this.workload = workload;
    this.flags = flags;
    this.durationSeconds = Double.parseDouble(flags.getOrDefault("duration", "20"));
    this.warmupSeconds = Double.parseDouble(flags.getOrDefault("warmup", "5"));
  }

  /** Parses {@code WORKLOAD [--flag value]...} and runs it. */
  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].startsWith("-")) {
      System.err.println("usage: LoadGenerator WORKLOAD [--dir PATH] [--prefill N] [--duration SECS] [--warmup SECS]"
          + " [--threads N] [--in-flight N] [--rate N] [--durability FSYNC|NO_FSYNC] [--queue-by-key true|false]");
      System.exit(2);
    }
    var flags = new HashMap<String, String>();
    for (int i = 1; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --flag value at " + args[i]);
      }
      flags.put(args[i].substring(2), args[i + 1]);
    }
    new LoadGenerator(args[0], flags).run();
  }

  int intFlag(String name, int otherwise) {
    return Integer.parseInt(flags.getOrDefault(name, Integer.toString(otherwise)).replace("_", ""));
  }

  boolean booleanFlag(String name) {
    return Boolean.parseBoolean(flags.getOrDefault(name, "false"));
  }

  String durability() {
    return flags.getOrDefault("durability", "FSYNC");
  }

  String workload() {
    return workload;
  }

  private long longFlag(String name, long otherwise) {
    return Long.parseLong(flags.getOrDefault(name, Long.toString(otherwise)).replace("_", ""));
  }

  private void run() throws Exception {
    String dirFlag = flags.get("dir");
    Path directory = dirFlag != null ? Path.of(dirFlag) : Fixtures.tempDirectory("chiplog-load");
    try {
      long prefill = longFlag("prefill", 0);
      if (prefill > 0) {
        long started = System.nanoTime();
        long head = Fixtures.prefill(directory, prefill, 64);
        System.err.printf("prefilled to %,d events in %.1f s (NO_FSYNC)%n", head, (System.nanoTime() - started) / 1e9);
      }
      if (workload.equals("open")) {
        open(directory);
        return;
      }
      if (workload.equals("prefill")) {
        return;
      }
      Durability durability = Durability.valueOf(flags.getOrDefault("durability", "FSYNC"));
      try (var store = FileEventStore.open(StoreOptions.builder(directory).durability(durability).build())) {
        switch (workload) {
          case "entity-command" -> new ModelLoad(this, store).entityCommand();
          case "dcb-next-number" -> new ModelLoad(this, store).dcbNextNumber();
          case "concurrent-writers" -> concurrentWriters(store);
          case "batch-writer" -> batchWriter(store);
          case "dcb-unique-number" -> dcbUniqueNumber(store);
          case "random-stream-reads" -> randomStreamReads(store);
          case "read-all" -> readAll(store);
          case "subscription-latency" -> subscriptionLatency(store);
          default -> throw new IllegalArgumentException("unknown workload " + workload);
        }
      }
    } finally {
      if (dirFlag == null) {
        Fixtures.delete(directory);
      }
    }
  }

  /** A worker: does one operation, records its latency and returns how many events it did. */
  @FunctionalInterface
  interface Operation {
    long run(int thread, SplittableRandom random) throws Exception;
  }

  record Outcome(long events, double seconds, Histogram latency, long extra, double cpuSeconds) {}

  /**
   * Runs {@code threads} workers for the warm-up then the measured phase; each worker records
   * the latency of each operation into its own histogram (merged at the end).
   */
  Outcome runWorkers(int threads, Operation operation, AtomicLong extra) throws InterruptedException {
    long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    long end = warmupEnd + (long) (durationSeconds * 1e9);
    var histograms = new ArrayList<Histogram>();
    var counts = new long[threads];
    var workers = new ArrayList<Thread>();
    var failures = new ArrayList<Throwable>();
    long[] measuredStart = new long[1];
    for (int t = 0; t < threads; t++) {
      var histogram = new Histogram(HIGHEST_NANOS, 3);
      histograms.add(histogram);
      int thread = t;
      workers.add(Thread.ofPlatform().name("load-" + t).start(() -> {
        var random = new SplittableRandom(1000L + thread);
        try {
          while (true) {
            long before = System.nanoTime();
            if (before >= end) {
              break;
            }
            long events = operation.run(thread, random);
            long after = System.nanoTime();
            if (before >= warmupEnd) {
              histogram.recordValue(Math.min(after - before, HIGHEST_NANOS));
              counts[thread] += events;
            }
          }
        } catch (Throwable e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      }));
    }
    long sleep = warmupEnd - System.nanoTime();
    if (sleep > 0) {
      Thread.sleep(sleep / 1_000_000);
    }
    measuredStart[0] = System.nanoTime();
    long cpuStart = processCpuNanos();
    extra.set(0);
    for (Thread worker : workers) {
      worker.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("a worker failed", failures.get(0));
    }
    var merged = new Histogram(HIGHEST_NANOS, 3);
    histograms.forEach(merged::add);
    long total = 0;
    for (long count : counts) {
      total += count;
    }
    double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
    return new Outcome(total, (System.nanoTime() - measuredStart[0]) / 1e9, merged, extra.get(), cpuSeconds);
  }

  /** CPU time of this process (all threads: workers, the store's writer and flushers, GC). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** 64 threads, each appending single events to its own streams with an exact expected revision. */
  private void concurrentWriters(FileEventStore store) throws InterruptedException {
    int threads = intFlag("threads", 64);
    long[] revisions = new long[threads];
    long[] sequences = new long[threads];
    java.util.Arrays.fill(revisions, -1);
    String run = Long.toString(System.nanoTime(), 36);
    Outcome outcome = runWorkers(threads, (thread, random) -> {
      long n = sequences[thread]++;
      EventData event = Fixtures.event(random, n);
      // 1,000 events per stream, then the thread moves to its next stream.
      String stream = "writer-" + run + "-" + thread + "-" + (n / 1000);
      ExpectedRevision expected = n % 1000 == 0 ? ExpectedRevision.noStream() : ExpectedRevision.exactly(revisions[thread]);
      revisions[thread] = store.append(AppendRequest.of(event).toStream(stream, expected)).streamRevision();
      return 1;
    }, new AtomicLong());
    report(outcome, "threads=" + threads);
  }

  /** One thread appending 100-event batches, {@code --in-flight} of them pipelined. */
  private void batchWriter(FileEventStore store) throws InterruptedException {
    int inFlight = intFlag("in-flight", 1);
    var pending = new ArrayDeque<CompletableFuture<AppendResult>>();
    long[] sequence = {0};
    String run = Long.toString(System.nanoTime(), 36);
    Outcome outcome = runWorkers(1, (thread, random) -> {
      long n = sequence[0]++;
      var request = AppendRequest.of(Fixtures.events(random, n * 100, 100))
          .toStream("batch-" + run + "-" + n, ExpectedRevision.noStream());
      pending.add(store.appendAsync(request));
      if (pending.size() >= inFlight) {
        pending.poll().join();
      }
      return 100;
    }, new AtomicLong());
    pending.forEach(CompletableFuture::join);
    report(outcome, "in_flight=" + inFlight + " latency=per-batch-call");
  }

  /**
   * 16 writers, each repeatedly: pick one of 100 categories, read its last {@code NumberAssigned}
   * event (backwards, limit 1), append the next number with a DCB condition on that query after
   * the position read; on a conflict, read again and retry. Latency is per successful append,
   * retries included; the extra figure is the number of conflicts.
   */
  private void dcbUniqueNumber(FileEventStore store) throws InterruptedException {
    int threads = intFlag("threads", 16);
    var conflicts = new AtomicLong();
    long headBefore = store.head();
    Outcome outcome = runWorkers(threads, (thread, random) -> {
      int category = random.nextInt(Fixtures.CATEGORIES);
      String tag = "category:" + category;
      var query = Query.of(QueryItem.types("NumberAssigned").withTags(tag));
      while (true) {
        long after;
        long number;
        try (Stream<RecordedEvent> last = store.read(query, ReadOptions.backwards().limit(1))) {
          RecordedEvent event = last.findFirst().orElse(null);
          after = event == null ? 0 : event.position();
          number = event == null ? 0 : event.position();
        }
        var data = EventData.ofJson("NumberAssigned", "{\"category\":" + category + ",\"after\":" + number
            + ",\"pad\":\"" + "x".repeat(150) + "\"}").withId(Fixtures.id(random)).withTags(tag);
        try {
          store.append(AppendRequest.of(data).withCondition(AppendCondition.failIfEventsMatch(query).after(after)));
          return 1;
        } catch (AppendConflictException e) {
          conflicts.incrementAndGet();
        } catch (CompletionException e) {
          if (!(e.getCause() instanceof AppendConflictException)) {
            throw e;
          }
          conflicts.incrementAndGet();
        }
      }
    }, conflicts);
    report(outcome, String.format(Locale.ROOT, "threads=%d stored_before=%d conflicts=%d", threads, headBefore,
        outcome.extra()));
  }

  /**
   * How many streams the prefill wrote: found by binary search on which {@code stream-N} exist,
   * because other workloads may have appended events without streams after the prefill.
   */
  private static long prefilledStreams(FileEventStore store) {
    long low = 0;
    long high = store.head() / Fixtures.STREAM_LENGTH + 1;
    while (low < high) {
      long mid = (low + high) >>> 1;
      if (streamExists(store, mid)) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  private static boolean streamExists(FileEventStore store, long index) {
    try (Stream<RecordedEvent> events = store.readStream(Fixtures.streamName(index), ReadOptions.forwards().limit(1))) {
      return events.findAny().isPresent();
    } catch (StreamNotFoundException e) {
      return false;
    }
  }

  /** Reads a random prefilled 100-event stream, whole, per operation. */
  private void randomStreamReads(FileEventStore store) throws InterruptedException {
    int threads = intFlag("threads", 1);
    long streams = prefilledStreams(store);
    if (streams == 0) {
      throw new IllegalArgumentException("random-stream-reads needs --prefill");
    }
    Outcome outcome = runWorkers(threads, (thread, random) -> {
      try (Stream<RecordedEvent> events = store.readStream(Fixtures.streamName(random.nextLong(streams)),
          ReadOptions.forwards())) {
        return events.toList().size();
      }
    }, new AtomicLong());
    report(outcome, "threads=" + threads + " stored=" + store.head() + " latency=per-stream-read");
  }

  /** Reads every event from position 1, pass after pass; latency is per pass. */
  private void readAll(FileEventStore store) throws InterruptedException {
    long head = store.head();
    if (head == 0) {
      throw new IllegalArgumentException("read-all needs --prefill");
    }
    Outcome outcome = runWorkers(1, (thread, random) -> {
      long count = 0;
      try (Stream<RecordedEvent> all = store.read(Query.all(), ReadOptions.forwards())) {
        var iterator = all.iterator();
        while (iterator.hasNext()) {
          iterator.next();
          count++;
        }
      }
      return count;
    }, new AtomicLong());
    report(outcome, "stored=" + head + " latency=per-full-pass");
  }

  /**
   * Appends single events at a fixed rate (asynchronously, one pacing thread) while one
   * subscriber polls from the head; latency is from the append's acknowledgement (its future
   * completing) to the subscriber receiving the event. Delivery may precede the acknowledgement
   * (the head advances before futures complete): those count as 0.
   */
  private void subscriptionLatency(FileEventStore store) throws Exception {
    int rate = intFlag("rate", 10_000);
    long total = (long) ((warmupSeconds + durationSeconds) * rate);
    long warmupEvents = (long) (warmupSeconds * rate);
    long base = store.head();
    long[] ackNanos = new long[(int) total];
    long[] submitNanos = new long[(int) total];
    long[] deliverNanos = new long[(int) total];
    var subscriberFailure = new AtomicLong();
    Thread subscriber;
    try (EventSubscription subscription = store.subscribe(Query.all(), base + 1)) {
      subscriber = Thread.ofPlatform().name("subscriber").start(() -> {
        long seen = 0;
        try {
          while (seen < total) {
            List<RecordedEvent> events = subscription.poll(1024, Duration.ofSeconds(5));
            long now = System.nanoTime();
            if (events.isEmpty()) {
              subscriberFailure.set(1);
              return;
            }
            for (RecordedEvent event : events) {
              deliverNanos[(int) (event.position() - base - 1)] = now;
            }
            seen += events.size();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      var random = new SplittableRandom(3);
      long interval = 1_000_000_000L / rate;
      long start = System.nanoTime();
      var pending = new ArrayList<CompletableFuture<Void>>();
      for (long i = 0; i < total; i++) {
        long due = start + i * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        long submitted = System.nanoTime();
        pending.add(store.appendAsync(AppendRequest.of(Fixtures.event(random, i))).thenAccept(result -> {
          int slot = (int) (result.firstPosition() - base - 1);
          ackNanos[slot] = System.nanoTime();
          submitNanos[slot] = submitted;
        }));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
      subscriber.join(30_000);
      if (subscriberFailure.get() != 0) {
        throw new IllegalStateException("the subscriber waited 5 s without an event");
      }
      var ackToDelivery = new Histogram(HIGHEST_NANOS, 3);
      var submitToDelivery = new Histogram(HIGHEST_NANOS, 3);
      long early = 0;
      for (int i = (int) warmupEvents; i < total; i++) {
        long latency = deliverNanos[i] - ackNanos[i];
        if (latency < 0) {
          early++;
        }
        ackToDelivery.recordValue(Math.max(0, Math.min(latency, HIGHEST_NANOS)));
        submitToDelivery.recordValue(Math.max(0, Math.min(deliverNanos[i] - submitNanos[i], HIGHEST_NANOS)));
      }
      report(new Outcome(total, seconds, ackToDelivery, early, -1), String.format(Locale.ROOT,
          "rate=%d delivered_before_ack=%d submit_to_delivery_p50_us=%.0f p99_us=%.0f p999_us=%.0f latency=ack-to-delivery",
          rate, early, submitToDelivery.getValueAtPercentile(50) / 1e3, submitToDelivery.getValueAtPercentile(99) / 1e3,
          submitToDelivery.getValueAtPercentile(99.9) / 1e3));
    }
  }

  /** Opens an existing store once in this (fresh) JVM: time to open and resident memory after. */
  private void open(Path directory) {
    System.gc();
    long rssBefore = Fixtures.residentKib();
    long started = System.nanoTime();
    try (var store = FileEventStore.open(directory)) {
      double seconds = (System.nanoTime() - started) / 1e9;
      long rssAfter = Fixtures.residentKib();
      System.gc();
      var runtime = Runtime.getRuntime();
      long heapUsed = runtime.totalMemory() - runtime.freeMemory();
      System.out.printf(Locale.ROOT,
          "RESULT workload=open stored=%d open_ms=%.0f rss_before_open_mib=%.0f rss_after_open_mib=%.0f heap_used_after_gc_mib=%.0f%n",
          store.head(), seconds * 1e3, rssBefore / 1024.0, rssAfter / 1024.0, heapUsed / 1048576.0);
    }
  }

  void report(Outcome outcome, String details) {
    Histogram h = outcome.latency();
    System.out.printf(Locale.ROOT,
        "RESULT workload=%s events=%d seconds=%.1f events_per_s=%.0f ops=%d p50_us=%.0f p99_us=%.0f p999_us=%.0f max_us=%.0f %s%n",
        workload, outcome.events(), outcome.seconds(), outcome.events() / outcome.seconds(), h.getTotalCount(),
        h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3,
        h.getMaxValue() / 1e3, details);
  }
}

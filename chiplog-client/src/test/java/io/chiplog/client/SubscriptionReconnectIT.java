package io.chiplog.client;

import static io.chiplog.client.Conditions.HANG_GUARD;
import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.EventSubscription;
import io.chiplog.api.Query;
import io.chiplog.api.RecordedEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscription outlives its connection: across a server restart it resumes after the last
 * event it received, without gap or duplicate; and a subscriber that falls behind holds no more
 * than its buffer, because the client stops reading and TCP holds the server back.
 */
class SubscriptionReconnectIT {
  private static final long SAMPLE_INTERVAL_NANOS = 50_000;
  @TempDir Path directory;
  private final List<AutoCloseable> resources = new ArrayList<>();
  /** Own threads for the test's helpers: the common pool may have a single worker. */
  private final ExecutorService threads = closeLater(Executors.newCachedThreadPool());

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable resource : resources.reversed()) {
      resource.close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    resources.add(resource);
    return resource;
  }

  private ExecutorService closeLater(ExecutorService pool) {
    // Not close(): it would wait for a helper that hangs; the test has failed by then anyway.
    resources.add(pool::shutdownNow);
    return pool;
  }

  private ChiplogClient subscriber(ServedStore served, int bufferCapacity) {
    return closeLater(ChiplogClient.connect(served.options()
        .subscriptionBufferCapacity(bufferCapacity)
        .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(200))
        .build()));
  }

  private static void appendEvents(EventStore store, int count, String type) {
    for (int appended = 0; appended < count; appended += 100) {
      var batch = new ArrayList<EventData>();
      for (int i = 0; i < Math.min(100, count - appended); i++) {
        batch.add(EventData.ofJson(type, "{\"n\":" + (appended + i) + "}"));
      }
      store.append(AppendRequest.of(batch));
    }
  }

  private static List<RecordedEvent> take(EventSubscription subscription, int count)
      throws InterruptedException {
    var out = new ArrayList<RecordedEvent>(count);
    long deadline = System.nanoTime() + HANG_GUARD.toNanos();
    while (out.size() < count) {
      long left = deadline - System.nanoTime();
      assertThat(left).as("only %d of %d events arrived within %s", out.size(), count, HANG_GUARD)
          .isPositive();
      out.addAll(subscription.poll(count - out.size(), Duration.ofNanos(left)));
    }
    return out;
  }

  private static List<Long> positions(List<RecordedEvent> events) {
    return events.stream().map(RecordedEvent::position).toList();
  }

  private static List<Long> oneThrough(long last) {
    return LongStream.rangeClosed(1, last).boxed().toList();
  }

  @Test
  void aSubscriptionResumesWithoutGapOrDuplicateWhenTheServerRestartsMidStream() throws Exception {
    // A short grace period: the server is stopped while its write to the full client is blocked.
    var served = closeLater(ServedStore.start(directory, options -> options.shutdownGracePeriod(Duration.ofMillis(200))));
    try (var writer = served.client()) {
      appendEvents(writer, 300, "Before");
    }
    var client = subscriber(served, 16);
    var subscription = closeLater(client.subscribe(Query.all(), 0));
    List<RecordedEvent> delivered = new ArrayList<>(take(subscription, 40));
    Conditions.await("a full buffer", () -> subscription.bufferedEvents() == 16);

    served.stop();
    served.restart();
    try (var writer = served.client()) {
      appendEvents(writer, 200, "After");
    }
    delivered.addAll(take(subscription, 460));

    assertThat(positions(delivered)).isEqualTo(oneThrough(500));
    assertThat(subscription.poll(100, Duration.ofMillis(50))).isEmpty();
    assertThat(subscription.lastPosition()).isEqualTo(500);
  }

  @Test
  void aConsumingSubscriptionDeliversEveryEventOnceAcrossAServerRestart() throws Exception {
    var served = closeLater(ServedStore.start(directory));
    var client = subscriber(served, 64);
    var subscription = closeLater(client.subscribe(Query.all(), 0));
    var consumer = CompletableFuture.supplyAsync(() -> {
      try {
        return take(subscription, 1_000);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }, threads);
    try (var writer = served.client()) {
      appendEvents(writer, 500, "Before");
    }

    served.stop();
    served.restart();
    try (var writer = served.client()) {
      appendEvents(writer, 500, "After");
    }

    List<RecordedEvent> delivered = consumer.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
    assertThat(positions(delivered)).isEqualTo(oneThrough(1_000));
    assertThat(delivered.subList(0, 500)).extracting(RecordedEvent::type).containsOnly("Before");
    assertThat(delivered.subList(500, 1_000)).extracting(RecordedEvent::type).containsOnly("After");
  }

  @Test
  void aSlowSubscriberNeverHoldsMoreThanItsBufferWhileTenThousandEventsAreAppended()
      throws Exception {
    int capacity = 32;
    int count = 10_000;
    var served = closeLater(ServedStore.start(directory));
    var client = subscriber(served, capacity);
    var subscription = closeLater(client.subscribe(Query.all(), 0));
    var writing = new AtomicBoolean(true);
    var mostBuffered = new AtomicInteger();
    var sampler = CompletableFuture.runAsync(() -> {
      while (writing.get() && !Thread.currentThread().isInterrupted()) {
        mostBuffered.accumulateAndGet(subscription.bufferedEvents(), Math::max);
        LockSupport.parkNanos(SAMPLE_INTERVAL_NANOS);
      }
    }, threads);
    var writer = CompletableFuture.runAsync(() -> {
      try (var store = served.client()) {
        appendEvents(store, count, "E");
      }
    }, threads);

    // The subscriber does not poll yet: the reader must stop at the buffer's capacity.
    Conditions.await("a full buffer", () -> subscription.bufferedEvents() == capacity);
    var delivered = new ArrayList<RecordedEvent>(count);
    long deadline = System.nanoTime() + HANG_GUARD.toNanos();
    while (delivered.size() < count) {
      assertThat(System.nanoTime()).as("all events within %s", HANG_GUARD).isLessThan(deadline);
      assertThat(subscription.bufferedEvents()).isLessThanOrEqualTo(subscription.bufferCapacity());
      delivered.addAll(subscription.poll(7, Duration.ofSeconds(1)));
    }
    writer.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
    writing.set(false);
    sampler.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);

    assertThat(subscription.bufferCapacity()).isEqualTo(capacity);
    assertThat(mostBuffered.get()).isLessThanOrEqualTo(capacity);
    assertThat(positions(delivered)).isEqualTo(oneThrough(count));
  }
}

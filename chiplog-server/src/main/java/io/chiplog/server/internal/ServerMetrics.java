package io.chiplog.server.internal;

import io.chiplog.api.AppendConflictException;
import io.chiplog.api.ConflictReason;
import io.chiplog.api.EventStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The server's Micrometer meters, rendered for Prometheus at {@code /metrics}: appends and
 * events, conflicts by reason, append latency as a histogram, active subscribers, the store's
 * head and size, and the JVM's own. Thread-safe.
 */
public final class ServerMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter appends;
  private final Counter events;
  private final Counter rejected;
  private final Counter revisionConflicts;
  private final Counter conditionConflicts;
  private final Counter idConflicts;
  private final Timer appendLatency;
  private final Counter delivered;
  private final AtomicInteger subscribers = new AtomicInteger();

  /**
   * @param store the store whose head is reported
   * @param storeSizeBytes the store's size on disk, or a supplier of -1 when it has none
   */
  public ServerMetrics(EventStore store, LongSupplier storeSizeBytes) {
    appends = Counter.builder("chiplog.appends").description("appends acknowledged").register(registry);
    events = Counter.builder("chiplog.events.appended").description("events appended").register(registry);
    rejected =
        Counter.builder("chiplog.appends.rejected")
            .description("appends answered 4xx for bad input or size")
            .register(registry);
    revisionConflicts = conflicts("revision_mismatch");
    conditionConflicts = conflicts("condition_matched");
    idConflicts = conflicts("event_ids_already_stored");
    appendLatency =
        Timer.builder("chiplog.append.latency")
            .description("time from a parsed append to its durable acknowledgement")
            .publishPercentileHistogram()
            .register(registry);
    delivered =
        Counter.builder("chiplog.subscription.events.delivered")
            .description("events written to subscribers")
            .register(registry);
    Gauge.builder("chiplog.subscribers.active", subscribers, AtomicInteger::get)
        .description("open subscriptions")
        .register(registry);
    Gauge.builder("chiplog.head.position", store, ServerMetrics::headOrNaN)
        .description("position of the last committed event")
        .register(registry);
    Gauge.builder("chiplog.store.size", storeSizeBytes, supplier -> supplier.getAsLong())
        .description("bytes the store's log takes on disk")
        .baseUnit("bytes")
        // A gauge holds its object weakly, and nothing else holds this supplier (a method
        // reference): without this the first GC turns the gauge into NaN.
        .strongReference(true)
        .register(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  private Counter conflicts(String reason) {
    return Counter.builder("chiplog.append.conflicts")
        .description("appends answered 409, by reason")
        .tag("reason", reason)
        .register(registry);
  }

  private static double headOrNaN(EventStore store) {
    try {
      return store.head();
    } catch (RuntimeException closed) {
      return Double.NaN;
    }
  }

  void appended(int eventCount, long nanos) {
    appends.increment();
    events.increment(eventCount);
    appendLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  void conflict(AppendConflictException conflict) {
    switch (conflict.reason()) {
      case ConflictReason.RevisionMismatch r -> revisionConflicts.increment();
      case ConflictReason.ConditionMatched r -> conditionConflicts.increment();
      case ConflictReason.EventIdsAlreadyStored r -> idConflicts.increment();
    }
  }

  void rejected() {
    rejected.increment();
  }

  void subscriberOpened() {
    subscribers.incrementAndGet();
  }

  void subscriberClosed() {
    subscribers.decrementAndGet();
  }

  void delivered(int count) {
    delivered.increment(count);
  }

  /** The number of open subscriptions. */
  public int activeSubscribers() {
    return subscribers.get();
  }

  /** Every meter in the Prometheus text format. */
  String scrape() {
    return registry.scrape();
  }
}

package io.chiplog.workflows.internal;

import io.chiplog.workflows.WorkflowStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One workflow's meters, tagged {@code workflow}: instances by status (gauges kept by counting
 * each change, not by scanning), ended instances by status, pending timers, step latency by step
 * and outcome, and how late timers fire.
 */
public final class WorkflowMetrics implements AutoCloseable {
  private final MeterRegistry registry;
  private final String workflow;
  private final Map<WorkflowStatus, AtomicInteger> live = new EnumMap<>(WorkflowStatus.class);
  private final Map<WorkflowStatus, Counter> ended = new EnumMap<>(WorkflowStatus.class);
  private final Map<String, Timer> stepsOk = new ConcurrentHashMap<>();
  private final Map<String, Timer> stepsFailed = new ConcurrentHashMap<>();
  private final Timer timerDelay;
  private final AtomicInteger unreadable = new AtomicInteger();
  private final List<Meter> meters = new CopyOnWriteArrayList<>();

  /** Registers the workflow's meters; {@code pendingTimers} is read by its gauge. */
  public WorkflowMetrics(MeterRegistry registry, String workflow, AtomicInteger pendingTimers) {
    this.registry = registry;
    this.workflow = workflow;
    for (WorkflowStatus status : WorkflowStatus.values()) {
      if (status.isFinal()) {
        ended.put(status, register(Counter.builder("chiplog.workflow.ended").tag("workflow", workflow)
            .tag("status", status.name()).description("instances that ended, by final status").register(registry)));
      } else {
        var count = new AtomicInteger();
        live.put(status, count);
        register(Gauge.builder("chiplog.workflow.instances", count, AtomicInteger::get).tag("workflow", workflow)
            .tag("status", status.name()).description("instances not ended, by status").register(registry));
      }
    }
    register(Gauge.builder("chiplog.workflow.timers.pending", pendingTimers, AtomicInteger::get)
        .tag("workflow", workflow).description("durable timers and retry backoffs waiting to fire").register(registry));
    register(Gauge.builder("chiplog.workflow.unreadable", unreadable, AtomicInteger::get).tag("workflow", workflow)
        .description("instances not resumed at start because their stream does not read").register(registry));
    timerDelay = register(Timer.builder("chiplog.workflow.timer.delay").tag("workflow", workflow)
        .description("how long after its due time a timer fired").publishPercentiles(0.5, 0.99)
        .register(registry));
  }

  private <M extends Meter> M register(M meter) {
    meters.add(meter);
    return meter;
  }

  /** An instance moved from {@code before} (null: new) to {@code after}. */
  public void moved(WorkflowStatus before, WorkflowStatus after, boolean isNew) {
    if (!isNew && before == after) {
      return;
    }
    if (!isNew && !before.isFinal()) {
      live.get(before).decrementAndGet();
    }
    if (after.isFinal()) {
      if (!isNew) {
        ended.get(after).increment();
      }
    } else {
      live.get(after).incrementAndGet();
    }
  }

  /** {@code count} instances could not be read at start. */
  public void unreadable(int count) {
    unreadable.set(count);
  }

  /** An instance not ended, last seen with {@code status}, is no longer run here. */
  public void forget(WorkflowStatus status) {
    if (!status.isFinal()) {
      live.get(status).decrementAndGet();
    }
  }

  /** Instances not ended with {@code status}. */
  public int live(WorkflowStatus status) {
    AtomicInteger count = live.get(status);
    return count == null ? 0 : count.get();
  }

  /** One run of a step (or compensation) took {@code nanos}. */
  public void step(String step, boolean ok, long nanos) {
    (ok ? stepsOk : stepsFailed).computeIfAbsent(step, name -> register(Timer.builder("chiplog.workflow.step")
            .tag("workflow", workflow).tag("step", name).tag("outcome", ok ? "ok" : "error")
            .description("the latency of one attempt of a step").register(registry)))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A timer fired {@code delay} after its due time. */
  public void timerFired(Duration delay) {
    timerDelay.record(delay);
  }

  @Override
  public void close() {
    meters.forEach(registry::remove);
  }
}

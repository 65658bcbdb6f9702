package io.chiplog.model.internal;

import io.chiplog.model.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The model's meters, per command or decision name: commands by outcome, conflicts met (each
 * one a retry, or a give-up), snapshot failures, and latency including retries. "How likely
 * these failures are" is {@code chiplog_model_conflicts_total / chiplog_model_commands_total}.
 * The meters of a name are registered once, on its first command, not on every one: they sit
 * on the command path. Thread-safe.
 */
public final class ModelMetrics {
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Meters> byName = new ConcurrentHashMap<>();

  /** Registers meters in {@code registry} as they are first used. */
  public ModelMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The meters of one command or decision name. */
  private record Meters(
      Counter appended, Counter rejected, Counter gaveUp, Counter conflicts, Counter snapshotFailures,
      Timer latency) {}

  private Meters of(String name) {
    return byName.computeIfAbsent(name, this::register);
  }

  private Meters register(String name) {
    return new Meters(
        commands(name, "appended"),
        commands(name, "rejected"),
        commands(name, "conflict"),
        Counter.builder("chiplog.model.conflicts").tag("name", name)
            .description("attempts that met a conflict (each is retried, or given up on)").register(registry),
        Counter.builder("chiplog.model.snapshot.failures").tag("name", name)
            .description("snapshots that could not be saved (the commands themselves succeeded)").register(registry),
        Timer.builder("chiplog.model.command.latency").tag("name", name)
            .description("time to handle a command, retries included").register(registry));
  }

  private Counter commands(String name, String outcome) {
    return Counter.builder("chiplog.model.commands").tag("name", name).tag("outcome", outcome)
        .description("commands and decisions by outcome").register(registry);
  }

  /** A command ended with {@code outcome} after {@code attempts} attempts. */
  public void done(String name, Outcome<?> outcome, int attempts, long nanos) {
    Meters meters = of(name);
    (outcome.isAppended() ? meters.appended() : meters.rejected()).increment();
    meters.latency().record(nanos, TimeUnit.NANOSECONDS);
  }

  /** An attempt met a conflict. */
  public void conflict(String name) {
    of(name).conflicts().increment();
  }

  /** Saving a snapshot failed after the command's events were stored. */
  public void snapshotFailed(String entity) {
    of(entity).snapshotFailures().increment();
  }

  /** A command met a conflict on every attempt. */
  public void gaveUp(String name) {
    of(name).gaveUp().increment();
  }
}

package io.chiplog.model.internal;

import io.chiplog.model.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The model's meters, per command or decision name: commands by outcome, conflicts met (each
 * one a retry, or a give-up), and latency including retries. "How likely these failures are"
 * is {@code chiplog_model_conflicts_total / chiplog_model_commands_total}. Thread-safe.
 */
public final class ModelMetrics {
  private final MeterRegistry registry;

  /** Registers meters in {@code registry} as they are first used. */
  public ModelMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A command ended with {@code outcome} after {@code attempts} attempts. */
  public void done(String name, Outcome<?> outcome, int attempts, long nanos) {
    String result = outcome.isAppended() ? "appended" : "rejected";
    Counter.builder("chiplog.model.commands").tag("name", name).tag("outcome", result)
        .description("commands and decisions by outcome").register(registry).increment();
    Timer.builder("chiplog.model.command.latency").tag("name", name)
        .description("time to handle a command, retries included").register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** An attempt met a conflict. */
  public void conflict(String name) {
    Counter.builder("chiplog.model.conflicts").tag("name", name)
        .description("attempts that met a conflict (each is retried, or given up on)").register(registry).increment();
  }

  /** Saving a snapshot failed after the command's events were stored. */
  public void snapshotFailed(String entity) {
    Counter.builder("chiplog.model.snapshot.failures").tag("name", entity)
        .description("snapshots that could not be saved (the commands themselves succeeded)").register(registry).increment();
  }

  /** A command met a conflict on every attempt. */
  public void gaveUp(String name) {
    Counter.builder("chiplog.model.commands").tag("name", name).tag("outcome", "conflict")
        .description("commands and decisions by outcome").register(registry).increment();
  }
}

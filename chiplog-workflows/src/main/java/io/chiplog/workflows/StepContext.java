package io.chiplog.workflows;

import java.time.Instant;
import java.util.UUID;

/**
 * What a step or a compensation knows about the run it is in. The {@link #idempotencyKey()} is
 * the same for every attempt of one step in one transition, across crashes and restarts: pass
 * it to the service the step calls, so that an effect retried after a crash is recognised there
 * and done once.
 */
public interface StepContext {

  /** The workflow's name. */
  String workflow();

  /** The instance's id. */
  String instanceId();

  /** The step (or compensated step) running. */
  String step();

  /** The attempt, from 1. */
  int attempt();

  /** Whether this is a compensation rather than the step itself. */
  boolean compensating();

  /**
   * A key unique to this step in this transition of this instance, stable across retries and
   * restarts: {@code <workflow>:<instance id>:<step>:<revision>} ({@code undo-<step>} for a
   * compensation), where the revision is that of the event after which the step became due.
   * Treat it as opaque.
   */
  String idempotencyKey();

  /**
   * Event ids derived from {@link #idempotencyKey()}: the {@code n}th event a step appends (from
   * 0). Appending them again is an exact retry, which the store answers with the first append's
   * result and writes nothing.
   */
  default UUID eventId(int n) {
    return UUID.nameUUIDFromBytes((idempotencyKey() + "#" + n).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The engine's clock. */
  Instant now();
}

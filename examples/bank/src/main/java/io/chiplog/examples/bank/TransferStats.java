package io.chiplog.examples.bank;

import io.chiplog.workflows.Workflow;
import io.chiplog.workflows.WorkflowStatus;
import io.chiplog.workflows.Workflows;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The transfer workflow's numbers for {@code GET /bank/transfers/stats}: instances not ended by
 * status (the engine's counts), instances ended by final status since this process started (the
 * engine's {@code chiplog.workflow.ended} counters: the engine keeps no count over the whole
 * log), and the timers pending. Thread-safe.
 */
final class TransferStats {
  private final Workflow<Transfer> transfer;
  private final Workflows workflows;
  private final MeterRegistry registry;

  TransferStats(Workflow<Transfer> transfer, Workflows workflows, MeterRegistry registry) {
    this.transfer = transfer;
    this.workflows = workflows;
    this.registry = registry;
  }

  /**
   * The numbers now.
   *
   * @param running instances not ended, by status
   * @param endedSinceStart instances that ended since this process started, by final status
   * @param pendingTimers retry backoffs (and timers) waiting to fire
   */
  record Snapshot(Map<WorkflowStatus, Integer> running, Map<WorkflowStatus, Long> endedSinceStart, int pendingTimers) {}

  Snapshot now() {
    var running = new EnumMap<WorkflowStatus, Integer>(WorkflowStatus.class);
    var ended = new EnumMap<WorkflowStatus, Long>(WorkflowStatus.class);
    for (WorkflowStatus status : WorkflowStatus.values()) {
      if (status.isFinal()) {
        Counter counter = registry.find("chiplog.workflow.ended").tag("workflow", transfer.name())
            .tag("status", status.name()).counter();
        ended.put(status, counter == null ? 0 : (long) counter.count());
      } else {
        running.put(status, workflows.count(transfer, status));
      }
    }
    return new Snapshot(running, ended, workflows.pendingTimers());
  }
}

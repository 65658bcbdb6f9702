package io.chiplog.workflows.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.workflows.WorkflowInfo;
import io.chiplog.workflows.WorkflowStatus;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One workflow instance as folded from its stream, plus what the engine keeps beside it: the
 * lock that runs its steps one at a time, its pending timer, and the future of its end. The
 * fold fields change only through {@link #apply} and {@link #skip}, under the lock (or before
 * the instance is shared), after the event is stored.
 */
final class Instance {
  final String workflow;
  final String id;
  final ReentrantLock lock = new ReentrantLock();
  final CompletableFuture<Instance> ended = new CompletableFuture<>();
  TimerQueue.@Nullable Entry timer;

  long revision = -1;
  long position;
  WorkflowStatus status = WorkflowStatus.RUNNING;
  JsonNode state;
  /** The step (or the step being compensated) due; the last one run once waiting or ended. */
  String step = "";
  /** The revision at which the due step became due: its idempotency key. */
  long dueSince = -1;
  /** Failed attempts of the due step. */
  int failedAttempts;
  /** When the due step may run (a retry's backoff); 0 for now. */
  long notBefore;
  @Nullable Long waitUntil;
  @Nullable String onTimeout;
  boolean signalsOpen;
  /** The steps done, in order: what compensation undoes. */
  final List<String> done = new ArrayList<>();
  /** The compensations still to run, next first. */
  final Deque<String> toCompensate = new ArrayDeque<>();
  /** Whether the instance failed for good and is undoing its steps. */
  boolean compensationPhase;
  /** The step that failed for good, once compensating. */
  String failedStep = "";
  @Nullable String reason;
  @Nullable String lastError;

  private volatile WorkflowInfo<JsonNode> info;

  Instance(String workflow, String id, JsonNode initialState) {
    this.workflow = workflow;
    this.id = id;
    this.state = initialState;
    this.info = snapshot();
  }

  /** The instance as of its last stored event; readable without the lock. */
  WorkflowInfo<JsonNode> info() {
    return info;
  }

  private WorkflowInfo<JsonNode> snapshot() {
    return new WorkflowInfo<>(workflow, id, status, step, state,
        waitUntil == null ? null : Instant.ofEpochMilli(waitUntil), signalsOpen, failedAttempts, reason, lastError,
        revision, position);
  }

  /** Steps over an event of the stream that is not the workflow's (a decision step's own). */
  void skip(long eventRevision, long eventPosition) {
    revision = eventRevision;
    position = eventPosition;
  }

  /** Folds one stored event into the instance. */
  void apply(WorkflowEvent event, long eventRevision, long eventPosition) {
    revision = eventRevision;
    position = eventPosition;
    switch (event) {
      case WorkflowEvent.Started started -> {
        state = started.state();
        due(started.run());
      }
      case WorkflowEvent.Stepped stepped -> {
        done.add(stepped.step());
        state = stepped.state();
        next(stepped.next());
      }
      case WorkflowEvent.Signalled signalled -> {
        state = signalled.state();
        if (signalled.next() != null) {
          next(signalled.next());
        }
      }
      case WorkflowEvent.TimerFired fired -> due(fired.run());
      case WorkflowEvent.StepFailed failed -> {
        failedAttempts = failed.attempt();
        lastError = failed.error();
        notBefore = failed.retryAt() == null ? 0 : failed.retryAt();
        if (failed.retryAt() != null && !failed.compensation()) {
          status = WorkflowStatus.RETRYING;  // a compensation retrying is still COMPENSATING
        }
      }
      case WorkflowEvent.Compensating compensating -> {
        compensationPhase = true;
        failedStep = compensating.step();
        reason = compensating.reason();
        toCompensate.clear();
        toCompensate.addAll(compensating.steps());
        dueCompensation();
      }
      case WorkflowEvent.Compensated compensated -> {
        toCompensate.remove(compensated.step());
        dueCompensation();
      }
      case WorkflowEvent.Ended end -> {
        status = end.status();
        step = end.step();
        reason = end.reason();
        state = end.state();
        waitUntil = null;
        signalsOpen = false;
      }
    }
    info = snapshot();
  }

  private void next(WorkflowEvent.Next next) {
    if (next.run() != null) {
      due(next.run());
      return;
    }
    status = WorkflowStatus.WAITING;
    waitUntil = next.until();
    onTimeout = next.onTimeout();
    signalsOpen = next.signals();
    dueSince = revision;
    failedAttempts = 0;
    notBefore = 0;
  }

  private void due(String stepName) {
    status = WorkflowStatus.RUNNING;
    step = stepName;
    dueSince = revision;
    failedAttempts = 0;
    notBefore = 0;
    waitUntil = null;
    onTimeout = null;
    signalsOpen = false;
  }

  private void dueCompensation() {
    status = WorkflowStatus.COMPENSATING;
    waitUntil = null;
    onTimeout = null;
    signalsOpen = false;
    if (!toCompensate.isEmpty()) {
      step = toCompensate.peekFirst();
    }
    dueSince = revision;
    failedAttempts = 0;
    notBefore = 0;
  }

  /** Whether a compensation (rather than a step) is due. */
  boolean compensating() {
    return compensationPhase && !toCompensate.isEmpty();
  }
}

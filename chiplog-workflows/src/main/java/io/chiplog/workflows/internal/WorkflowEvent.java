package io.chiplog.workflows.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.workflows.WorkflowStatus;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The events an instance's stream holds, one per transition. Their JSON is the stored form:
 * change it only by adding optional fields. Times are epoch milliseconds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface WorkflowEvent {

  /** The event type under which it is stored. */
  String type();

  /**
   * The instance exists and its first step is due.
   *
   * @param triggerPosition the position of the event that started it, when a trigger did
   */
  record Started(String id, String run, JsonNode state, @Nullable Long triggerPosition) implements WorkflowEvent {
    @Override
    public String type() {
      return "WorkflowStarted";
    }
  }

  /** Step {@code step} succeeded with {@code state}; {@code next} is due or awaited. */
  record Stepped(String step, JsonNode state, Next next) implements WorkflowEvent {
    @Override
    public String type() {
      return "WorkflowStepped";
    }
  }

  /** Signal {@code signal} arrived while the instance waited; its handler chose {@code next}. */
  record Signalled(String signal, JsonNode payload, JsonNode state, @Nullable Next next) implements WorkflowEvent {
    @Override
    public String type() {
      return "WorkflowSignalled";
    }
  }

  /** The wait's timer fired: step {@code run} is due. */
  record TimerFired(long dueAt, long firedAt, String run) implements WorkflowEvent {
    @Override
    public String type() {
      return "WorkflowTimerFired";
    }
  }

  /**
   * Attempt {@code attempt} of a step (or of its compensation) threw.
   *
   * @param retryAt when the next attempt is due; null when this was the last
   */
  record StepFailed(String step, boolean compensation, int attempt, String error, @Nullable Long retryAt)
      implements WorkflowEvent {
    @Override
    public String type() {
      return "WorkflowStepFailed";
    }
  }

  /** Step {@code step} failed for good; the compensations of {@code steps} run, in that order. */
  record Compensating(String step, String reason, List<String> steps) implements WorkflowEvent {
    @Override
    public String type() {
      return "WorkflowCompensating";
    }
  }

  /** The compensation of {@code step} ran. */
  record Compensated(String step) implements WorkflowEvent {
    @Override
    public String type() {
      return "WorkflowCompensated";
    }
  }

  /** The instance ended. */
  record Ended(WorkflowStatus status, String step, @Nullable String reason, JsonNode state) implements WorkflowEvent {
    @Override
    public String type() {
      return "WorkflowEnded";
    }
  }

  /**
   * What comes after a transition: a step to run now, or a wait.
   *
   * @param run the step due now; null for a wait
   * @param until when the wait's timer fires; null for no timer
   * @param onTimeout the step the timer runs
   * @param signals whether the wait accepts signals
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Next(@Nullable String run, @Nullable Long until, @Nullable String onTimeout, boolean signals) {
    /** Runs {@code step} now. */
    public static Next run(String step) {
      return new Next(step, null, null, false);
    }
  }
}

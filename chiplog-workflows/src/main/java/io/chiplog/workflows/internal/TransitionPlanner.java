package io.chiplog.workflows.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.workflows.Transition;
import io.chiplog.workflows.Workflow;
import io.chiplog.workflows.WorkflowStatus;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Turns a transition into the events that record it: pure, so that a decision step can put them
 * in its own append and a step or a signal in theirs. A transition to a step the workflow does
 * not have, or a wait it cannot end, fails the workflow for good with the reason rather than
 * leaving it stuck.
 */
final class TransitionPlanner<S> {
  private final Workflow<S> workflow;
  private final WorkflowCodec codec;
  private final InstantSource clock;

  TransitionPlanner(Workflow<S> workflow, WorkflowCodec codec, InstantSource clock) {
    this.workflow = workflow;
    this.codec = codec;
    this.clock = clock;
  }

  /**
   * The events that record a transition, and whether a step is due after them.
   *
   * @param events what to append, in order
   * @param more whether a step (or compensation) is due at once after them
   */
  record Plan(List<WorkflowEvent> events, boolean more) {}

  /**
   * Fails the instance for good at {@code step}: the compensations to run (the done steps that
   * have one, newest first), or the end when there are none; after {@code first}, if given.
   */
  Plan failure(Instance instance, String step, String reason, @Nullable WorkflowEvent first) {
    var undo = new ArrayList<String>();
    for (int i = instance.done.size() - 1; i >= 0; i--) {
      Workflow.StepDefinition<S> done = workflow.steps().get(instance.done.get(i));
      if (done != null && done.compensation() != null) {
        undo.add(done.name());
      }
    }
    var events = new ArrayList<WorkflowEvent>(2);
    if (first != null) {
      events.add(first);
    }
    events.add(undo.isEmpty()
        ? new WorkflowEvent.Ended(WorkflowStatus.COMPENSATED, step, reason, instance.state)
        : new WorkflowEvent.Compensating(step, reason, undo));
    return new Plan(events, !undo.isEmpty());
  }

  /** The events that record {@code transition}, caused by {@code cause}. */
  Plan plan(Instance instance, Cause cause, Transition<S> transition) {
    return switch (transition) {
      case Transition.To<S> to -> workflow.steps().containsKey(to.step())
          ? new Plan(List.of(cause.event(codec.toTree(to.state()), WorkflowEvent.Next.run(to.step()))), true)
          : failure(instance, cause.name(), cause.name() + " went to step " + to.step() + ", which workflow "
              + workflow.name() + " does not have", cause.prefix(instance.state));
      case Transition.Await<S> await -> {
        String problem = await.onTimeout() != null && !workflow.steps().containsKey(await.onTimeout())
            ? "its timeout step " + await.onTimeout() + " does not exist"
            : await.signals() && workflow.signals().isEmpty() ? "workflow " + workflow.name() + " has no signals" : null;
        if (problem != null) {
          yield failure(instance, cause.name(), cause.name() + " waits, but " + problem, cause.prefix(instance.state));
        }
        Long until = dueAt(await);
        yield new Plan(List.of(cause.event(codec.toTree(await.state()),
            new WorkflowEvent.Next(null, until, await.onTimeout(), await.signals()))), false);
      }
      case Transition.End<S> end -> {
        JsonNode state = codec.toTree(end.state());
        var ended = new WorkflowEvent.Ended(WorkflowStatus.COMPLETED, cause.name(), null, state);
        WorkflowEvent prefix = cause.prefix(state);
        yield new Plan(prefix == null ? List.of(ended) : List.of(prefix, ended), false);
      }
      case Transition.Fail<S> fail -> failure(instance, cause.name(), fail.reason(), cause.prefix(instance.state));
    };
  }

  /** When the wait's timer is due, in epoch milliseconds rounded up (a timer never fires early); null for none. */
  private @Nullable Long dueAt(Transition.Await<S> await) {
    if (await.deadline() != null) {
      return ceilingMillis(await.deadline());
    }
    if (await.timeout() == null) {
      return null;
    }
    try {
      return ceilingMillis(clock.instant().plus(await.timeout()));
    } catch (ArithmeticException | java.time.DateTimeException beyondTime) {
      return Long.MAX_VALUE;  // never, in practice: the timer must not wrap around and fire at once
    }
  }

  private static long ceilingMillis(Instant due) {
    try {
      return Math.addExact(due.toEpochMilli(), due.getNano() % 1_000_000 == 0 ? 0 : 1);
    } catch (ArithmeticException beyondMillis) {
      return due.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** {@code millis} plus {@code delay}, saturated rather than wrapped around. */
  static long millisAfter(long millis, java.time.Duration delay) {
    try {
      return Math.addExact(millis, delay.toMillis());
    } catch (ArithmeticException beyondMillis) {
      return Long.MAX_VALUE;
    }
  }

  /** Why a transition happened: a step that ran, or a signal that arrived. */
  record Cause(String name, @Nullable String signal, @Nullable JsonNode payload) {
    static Cause step(String step) {
      return new Cause(step, null, null);
    }

    static Cause signal(String signal, JsonNode payload) {
      return new Cause("signal:" + signal, signal, payload);
    }

    WorkflowEvent event(JsonNode state, WorkflowEvent.Next next) {
      return signal == null
          ? new WorkflowEvent.Stepped(name, state, next)
          : new WorkflowEvent.Signalled(signal, Objects.requireNonNull(payload), state, next);
    }

    /** The event recorded before an end or a failure: the signal's, none for a step. */
    @Nullable WorkflowEvent prefix(JsonNode state) {
      return signal == null ? null : new WorkflowEvent.Signalled(signal, Objects.requireNonNull(payload), state, null);
    }
  }

}

package io.chiplog.workflows;

import java.util.Objects;

/**
 * An instance to start: its id and initial state. What a workflow's start rule ({@link
 * Workflow.Builder#startOn}) makes of an event.
 *
 * @param id the instance id: 1 to 128 characters of {@code [A-Za-z0-9._:@-]}
 * @param state the initial state
 * @param <S> the state
 */
public record WorkflowStart<S>(String id, S state) {
  /** Checks the fields. */
  public WorkflowStart {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
  }
}

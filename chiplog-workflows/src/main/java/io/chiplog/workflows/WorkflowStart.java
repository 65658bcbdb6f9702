package io.chiplog.workflows;

import java.util.Objects;
import java.util.regex.Pattern;

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
    checkId(id);
    Objects.requireNonNull(state, "state");
  }

  /**
   * Checks an instance id against {@link #ID}.
   *
   * @throws IllegalArgumentException naming the rule when it breaks it
   */
  public static String checkId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("an instance id is 1 to 128 characters of [A-Za-z0-9._:@-], was " + id);
    }
    return id;
  }

  /** The rule for instance ids: what a stream name allows, within its length. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
}

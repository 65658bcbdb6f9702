package io.chiplog.api;

import java.io.Serial;

/**
 * Input that breaks the contract of DESIGN §3: an invalid type, tag, stream name, metadata, a
 * missing field, a duplicate id in one batch. The {@link #field()} names the offending input, for
 * example {@code events[2].tags[0]}. Nothing is written.
 */
public sealed class InvalidEventException extends ChiplogException permits TooLargeException {
  @Serial private static final long serialVersionUID = 1L;

  private final String field;
  private final String problem;

  /**
   * Creates the error.
   *
   * @param field the offending input, as a path such as {@code events[2].type}
   * @param problem what is wrong with it, e.g. {@code must not be empty}
   */
  public InvalidEventException(String field, String problem) {
    super(field + " " + problem);
    this.field = field;
    this.problem = problem;
  }

  /** The offending input, as a path such as {@code events[2].type}. */
  public String field() {
    return field;
  }

  /** What is wrong with the field. */
  public String problem() {
    return problem;
  }

}

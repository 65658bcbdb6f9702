package io.chiplog.protocol;

/**
 * A request body or parameter that does not follow HTTP API v1: not JSON, an unknown field, a
 * wrong type, a negative position. The server answers it with {@code 400 bad_request}, naming
 * {@link #field()}.
 */
public final class MalformedRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * @param field where the problem is, as a path ({@code events[2].tags}), or {@code ""} for
   *     the whole body
   * @param problem what is wrong, in words
   */
  public MalformedRequestException(String field, String problem) {
    super(field.isEmpty() ? problem : field + ": " + problem);
    this.field = field;
  }

  /** Where the problem is, or {@code ""} for the whole body. */
  public String field() {
    return field;
  }
}

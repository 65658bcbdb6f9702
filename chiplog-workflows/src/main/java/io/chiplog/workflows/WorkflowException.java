package io.chiplog.workflows;

/** A request about a workflow instance that cannot be done; the subclass says why. */
public class WorkflowException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with {@code message}. */
  public WorkflowException(String message) {
    super(message);
  }
}

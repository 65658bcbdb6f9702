package io.chiplog.workflows;

/** An instance with that id was started before: ids name one instance for good. */
public final class WorkflowExistsException extends WorkflowException {
  private static final long serialVersionUID = 1L;

  /** Instance {@code id} of {@code workflow} exists. */
  public WorkflowExistsException(String workflow, String id) {
    super("instance " + id + " of workflow " + workflow + " exists already");
  }
}

package io.chiplog.workflows;

/** No instance of the workflow has that id. */
public final class WorkflowNotFoundException extends WorkflowException {
  private static final long serialVersionUID = 1L;

  /** No instance {@code id} of {@code workflow}. */
  public WorkflowNotFoundException(String workflow, String id) {
    super("no instance " + id + " of workflow " + workflow);
  }
}

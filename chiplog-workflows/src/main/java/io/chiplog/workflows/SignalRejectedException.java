package io.chiplog.workflows;

/**
 * The instance does not take the signal now: it is not waiting for one (it is running a step,
 * its timer fired first, or it has ended). Nothing was recorded.
 */
public final class SignalRejectedException extends WorkflowException {
  private static final long serialVersionUID = 1L;

  /** Signal {@code signal} to instance {@code id} of {@code workflow} was refused because {@code why}. */
  public SignalRejectedException(String workflow, String id, String signal, String why) {
    super("signal " + signal + " to instance " + id + " of workflow " + workflow + " refused: " + why);
  }
}

package io.chiplog.workflows;

/** Where a workflow instance is. The last three are final. */
public enum WorkflowStatus {
  /** A step is due or running. */
  RUNNING,
  /** Waiting for a timer or a signal. */
  WAITING,
  /** A step failed and waits for its next attempt. */
  RETRYING,
  /** A step failed for good; the compensations of the steps done are running. */
  COMPENSATING,
  /** Ended by {@link Transition#end}. */
  COMPLETED,
  /** Failed for good, and every compensation ran. */
  COMPENSATED,
  /** Failed for good, and a compensation failed too: needs a person. */
  FAILED;

  /** Whether the instance has ended. */
  public boolean isFinal() {
    return this == COMPLETED || this == COMPENSATED || this == FAILED;
  }
}

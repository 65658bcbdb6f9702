package io.chiplog.views.internal;

/** What a {@link ProjectionRunner} tells its owner; called on the runner's thread. */
public interface RunnerListener {

  /** Listens to nothing: a point-in-time build, which its caller joins. */
  RunnerListener NONE = new RunnerListener() {
    @Override
    public void advanced(ProjectionRunner runner, long position, int events) {}

    @Override
    public void caughtUp(ProjectionRunner runner) {}

    @Override
    public void ended(ProjectionRunner runner) {}
  };

  /** The runner's position moved to {@code position}, after applying {@code events} events. */
  void advanced(ProjectionRunner runner, long position, int events);

  /** A poll found nothing new: the runner has applied everything up to the head it read before. */
  void caughtUp(ProjectionRunner runner);

  /** The runner's thread ended: failed, done, or stopped. */
  void ended(ProjectionRunner runner);
}

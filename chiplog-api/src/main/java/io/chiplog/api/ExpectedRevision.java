package io.chiplog.api;

/**
 * What an append requires of its stream's current last revision.
 *
 * <pre>{@code
 * ExpectedRevision.noStream()      // create: the stream must not exist yet
 * ExpectedRevision.exactly(7)      // update: the stream's last event must be revision 7
 * }</pre>
 */
public sealed interface ExpectedRevision {

  /** Whether a stream whose last revision is {@code actual} satisfies this expectation. */
  boolean isSatisfiedBy(long actual);

  /** No check. */
  static ExpectedRevision any() {
    return Any.INSTANCE;
  }

  /** The stream must not exist. */
  static ExpectedRevision noStream() {
    return NoStream.INSTANCE;
  }

  /** The stream must exist (have at least one event). */
  static ExpectedRevision exists() {
    return StreamExists.INSTANCE;
  }

  /**
   * The stream's last event must have this revision.
   *
   * @throws InvalidEventException when {@code revision} is negative
   */
  static ExpectedRevision exactly(long revision) {
    return new Exact(revision);
  }

  /** No check: the append goes to the end of the stream, whatever is there. */
  enum Any implements ExpectedRevision {
    /** The one value. */
    INSTANCE;

    @Override
    public boolean isSatisfiedBy(long actual) {
      return true;
    }

    @Override
    public String toString() {
      return "any";
    }
  }

  /** The stream must not exist yet. */
  enum NoStream implements ExpectedRevision {
    /** The one value. */
    INSTANCE;

    @Override
    public boolean isSatisfiedBy(long actual) {
      return actual == RecordedEvent.NO_REVISION;
    }

    @Override
    public String toString() {
      return "no stream";
    }
  }

  /** The stream must have at least one event. */
  enum StreamExists implements ExpectedRevision {
    /** The one value. */
    INSTANCE;

    @Override
    public boolean isSatisfiedBy(long actual) {
      return actual != RecordedEvent.NO_REVISION;
    }

    @Override
    public String toString() {
      return "an existing stream";
    }
  }

  /**
   * The stream's last event must have exactly this revision.
   *
   * @param revision 0 or more
   */
  record Exact(long revision) implements ExpectedRevision {
    /** Checks the revision. */
    public Exact {
      if (revision < 0) {
        throw new InvalidEventException(
            "expectedRevision", "must be 0 or more, was " + revision);
      }
    }

    @Override
    public boolean isSatisfiedBy(long actual) {
      return actual == revision;
    }

    @Override
    public String toString() {
      return "revision " + revision;
    }
  }
}

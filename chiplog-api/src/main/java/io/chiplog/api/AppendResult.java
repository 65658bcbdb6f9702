package io.chiplog.api;

/**
 * What a successful append returns.
 *
 * @param firstPosition the position of the append's first event
 * @param lastPosition the position of its last event (read your own writes up to here)
 * @param streamRevision the revision of its last event in its stream, or {@link
 *     RecordedEvent#NO_REVISION} when the append had no stream
 */
public record AppendResult(long firstPosition, long lastPosition, long streamRevision) {

  /** Checks the positions. */
  public AppendResult {
    if (firstPosition < 1 || lastPosition < firstPosition) {
      throw new IllegalArgumentException(
          "positions must satisfy 1 <= first <= last, were " + firstPosition + ".." + lastPosition);
    }
    if (streamRevision < RecordedEvent.NO_REVISION) {
      throw new IllegalArgumentException("streamRevision " + streamRevision + " is invalid");
    }
  }

  /** How many events the append wrote. */
  public int eventCount() {
    return Math.toIntExact(lastPosition - firstPosition + 1);
  }
}

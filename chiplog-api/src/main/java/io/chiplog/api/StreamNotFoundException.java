package io.chiplog.api;

import java.io.Serial;

/** A stream was read that has no events. The HTTP API answers it with 404. */
public final class StreamNotFoundException extends ChiplogException {
  @Serial private static final long serialVersionUID = 1L;

  private final String stream;

  /** Creates the error for a stream name. */
  public StreamNotFoundException(String stream) {
    super("stream '" + stream + "' does not exist");
    this.stream = stream;
  }

  /** The stream that was read. */
  public String stream() {
    return stream;
  }
}

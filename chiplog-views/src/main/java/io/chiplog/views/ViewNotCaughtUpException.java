package io.chiplog.views;

import io.chiplog.api.ChiplogException;
import java.io.Serial;
import java.time.Duration;

/**
 * A read asked for a view that includes {@code minPosition}, and the view had not applied it
 * within the time allowed. Try again later (HTTP: 503 with {@code Retry-After}).
 */
public final class ViewNotCaughtUpException extends ChiplogException {
  @Serial private static final long serialVersionUID = 1L;

  private final String view;
  private final long minPosition;
  private final long position;

  /** The view {@code view} is at {@code position}, before {@code minPosition}, after waiting {@code waited}. */
  public ViewNotCaughtUpException(String view, long minPosition, long position, Duration waited) {
    this(view, minPosition, position, "waited " + waited.toMillis() + " ms; try again shortly");
  }

  /** The view {@code view} is at {@code position}, before {@code minPosition}, for the reason {@code why}. */
  public ViewNotCaughtUpException(String view, long minPosition, long position, String why) {
    super("the view " + view + " has applied events up to position " + position + ", not yet " + minPosition + " (" + why + ")");
    this.view = view;
    this.minPosition = minPosition;
    this.position = position;
  }

  /** The view. */
  public String view() {
    return view;
  }

  /** The position asked for. */
  public long minPosition() {
    return minPosition;
  }

  /** The position the view had reached. */
  public long position() {
    return position;
  }
}

package io.chiplog.views;

import org.jspecify.annotations.Nullable;

/**
 * A view's status, for operators and {@code /views} pages.
 *
 * @param view the view's name
 * @param version the version readers read
 * @param space the space readers read
 * @param state what its runner does
 * @param position the last position it has applied (events after it are not in the view)
 * @param head the store's head when the status was taken
 * @param eventsPerSecond events applied per second, over the last few seconds
 * @param failure why it stopped, when {@code state} is FAILED
 * @param lastError the last error of the view store, retried, while it lasts
 * @param rebuild the version being built beside it, if any
 */
public record ViewStatus(
    String view,
    int version,
    String space,
    ViewState state,
    long position,
    long head,
    double eventsPerSecond,
    @Nullable ViewFailure failure,
    @Nullable String lastError,
    @Nullable Rebuild rebuild) {

  /** How far behind the log it is: {@code head - position}, never negative. */
  public long lag() {
    return Math.max(0, head - position);
  }

  /**
   * A version being built beside the live one.
   *
   * @param version its version
   * @param space its space
   * @param state REBUILDING, or FAILED
   * @param position the last position it has applied
   * @param head the store's head
   * @param eventsPerSecond its speed
   * @param failure why it stopped, if it did
   */
  public record Rebuild(
      int version, String space, ViewState state, long position, long head, double eventsPerSecond, @Nullable ViewFailure failure) {

    /** Its progress, 0 to 1. */
    public double progress() {
      return head == 0 ? 1 : Math.min(1, (double) position / head);
    }
  }
}

package io.chiplog.views;

/** What a view's runner is doing. */
public enum ViewState {
  /** Applying events as they come; readers read it. */
  RUNNING,
  /** A new version (or a fresh copy) built beside the live one; readers still read the live one. */
  REBUILDING,
  /** Stopped at an event whose fold kept failing; see {@link ViewStatus#failure()}; resume after a fix. */
  FAILED,
  /** A point-in-time build that reached its position. */
  DONE,
  /** Not running (closed, or a live version whose code is no longer registered). */
  STOPPED
}

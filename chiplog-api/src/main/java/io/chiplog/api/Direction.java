package io.chiplog.api;

/** The order of a read: by ascending or descending position (or revision). */
public enum Direction {
  /** Oldest first. */
  FORWARDS,
  /** Newest first. */
  BACKWARDS
}

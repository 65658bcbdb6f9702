package io.chiplog.examples.library;

/**
 * What the library answers to a command or a query: done, with a value; the thing addressed does
 * not exist; or a rule refused. The HTTP layer maps them to statuses.
 *
 * @param <T> the value when done
 */
sealed interface Answer<T> {

  /** Done; {@code position} is the last position it wrote, or the one the view it read had reached. */
  record Done<T>(T value, long position) implements Answer<T> {}

  /** The category or book addressed does not exist. */
  record Missing<T>(String reason) implements Answer<T> {}

  /** A rule of the library refused. */
  record Refused<T>(String reason) implements Answer<T> {}
}

package io.chiplog.examples.social;

/**
 * What the social graph answers to a command or a query: done, with a value; a user addressed
 * does not exist; a rule refused; or the request makes no sense (befriending oneself). The HTTP
 * layer maps them to 2xx, 404, 409 and 400.
 *
 * @param <T> the value when done
 */
sealed interface Answer<T> {

  /** Done. */
  record Done<T>(T value) implements Answer<T> {}

  /** A user addressed does not exist. */
  record Missing<T>(String reason) implements Answer<T> {}

  /** A rule of the graph refused: the user exists, the two are friends already, or are not. */
  record Refused<T>(String reason) implements Answer<T> {}

  /** The request can never succeed as asked. */
  record Invalid<T>(String reason) implements Answer<T> {}
}

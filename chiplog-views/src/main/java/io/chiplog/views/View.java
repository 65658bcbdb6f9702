package io.chiplog.views;

import io.chiplog.api.Query;
import io.chiplog.model.EventTypes;

/**
 * A view: a name, a version of its code, the query of the events it folds, and how each event
 * changes it. Changing what a view computes means a new version: {@link Views} builds the new
 * version beside the live one from position 1 and switches readers over when it has caught up.
 *
 * @param <E> the model's event type
 */
public sealed interface View<E> permits KeyValueView, TableView {

  /** Its name: lower-case letters, digits and {@code _}, starting with a letter, at most 30 chars. */
  String name();

  /** The version of its code, ≥ 1. */
  int version();

  /** The events it folds. */
  Query query();

  /** How its events decode. */
  EventTypes<E> types();

  /** Checks a view name; returns it. */
  static String checkName(String name) {
    if (!name.matches("[a-z][a-z0-9_]{0,29}")) {
      throw new IllegalArgumentException(
          "a view name is 1-30 lower-case letters, digits or _, starting with a letter (it names SQL tables): '" + name + "'");
    }
    return name;
  }

  /** Checks a view version; returns it. */
  static int checkVersion(int version) {
    if (version < 1) {
      throw new IllegalArgumentException("a view version is >= 1, got " + version);
    }
    return version;
  }
}

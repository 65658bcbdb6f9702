package io.chiplog.views;

import io.chiplog.model.Recorded;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * How one event changes a table view: SQL on {@code connection}, inside the transaction that
 * also stores the view's checkpoint. It must not commit or roll back. Deterministic: after a
 * crash or a retry it runs again for the same event on the state before it.
 *
 * @param <E> the model's event type
 */
@FunctionalInterface
public interface TableHandler<E> {

  /** Applies {@code event}; {@code tables} gives the physical names of the view's tables. */
  void apply(Recorded<E> event, Tables tables, Connection connection) throws SQLException;
}

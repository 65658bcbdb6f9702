package io.chiplog.views.internal;

import io.chiplog.api.RecordedEvent;
import io.chiplog.model.Recorded;
import io.chiplog.views.TableView;
import io.chiplog.views.Tables;
import io.chiplog.views.jdbc.JdbcViewStore;
import io.chiplog.views.jdbc.SqlWorkException;
import java.util.List;

/**
 * A table view's built version: its own tables in a {@link JdbcViewStore}, changed by the view's
 * SQL in the same transaction as the checkpoint.
 *
 * @param <E> the model's event type
 */
public final class TableTarget<E> implements ViewTarget {
  private final TableView<E> view;
  private final JdbcViewStore store;
  private final String space;
  private final Tables tables;

  /** The version of {@code view} kept in {@code space} of {@code store}. */
  public TableTarget(TableView<E> view, JdbcViewStore store, String space) {
    this.view = view;
    this.store = store;
    this.space = space;
    this.tables = Tables.of(view.tables(), space.substring(view.name().length() + 1));
  }

  /** The physical names of its tables. */
  public Tables tables() {
    return tables;
  }

  @Override
  public String space() {
    return space;
  }

  @Override
  public long checkpoint() {
    return store.prepareTables(space, tables, view.schema());
  }

  @Override
  public void apply(List<RecordedEvent> events, long through) {
    List<Recorded<E>> decoded;
    try {
      decoded = view.types().decode(events);
    } catch (RuntimeException e) {
      throw new FoldException(events.size() == 1 ? events.getFirst().position() : 0, e);
    }
    long[] current = {0};
    try {
      store.transact(space, events.getFirst().position(), through, connection -> {
        for (Recorded<E> event : decoded) {
          current[0] = event.position();
          view.handler().apply(event, tables, connection);
        }
      });
    } catch (SqlWorkException e) {
      throw new FoldException(current[0], e.getCause() == null ? e : e.getCause());
    } catch (io.chiplog.views.ViewStoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new FoldException(current[0], e);
    }
  }

  @Override
  public void makeLive() {
    store.makeLive(view.name(), space, tables);
  }

  @Override
  public void drop() {
    store.dropTables(space, tables);
  }
}

package io.chiplog.views;

import io.chiplog.api.Query;
import io.chiplog.model.EventTypes;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A view kept as SQL tables that readers query with SQL; needs a {@link
 * io.chiplog.views.jdbc.JdbcViewStore}. Each built version writes its own tables ({@link
 * Tables}); readers query the logical names, SQL views that point at the live version.
 *
 * <pre>{@code
 * var books = TableView.builder("book_table", types)
 *     .tables("books")
 *     .schema((t, c) -> execute(c, "CREATE TABLE " + t.name("books")
 *         + " (category VARCHAR(200), number INT, title VARCHAR(500), PRIMARY KEY (category, number))"))
 *     .apply((event, t, c) -> { if (event.event() instanceof BookAdded b) insert(c, t.name("books"), b); })
 *     .build();
 * // readers: SELECT title FROM books WHERE category = ? ORDER BY number
 * }</pre>
 *
 * <p>Logical table names must be unique across the views of one database.
 *
 * @param <E> the model's event type
 */
public final class TableView<E> implements View<E> {
  private final String name;
  private final int version;
  private final Query query;
  private final EventTypes<E> types;
  private final List<String> tables;
  private final TableSchema schema;
  private final TableHandler<E> handler;

  private TableView(Builder<E> builder, TableSchema schema, TableHandler<E> handler) {
    this.name = builder.name;
    this.version = builder.version;
    this.types = builder.types;
    this.query = builder.query != null ? builder.query : Query.types(builder.types.names().toArray(String[]::new));
    this.tables = List.copyOf(builder.tables);
    this.schema = schema;
    this.handler = handler;
  }

  /** Starts a table view named {@code name} over the events of {@code types}. */
  public static <E> Builder<E> builder(String name, EventTypes<E> types) {
    return new Builder<>(View.checkName(name), types);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int version() {
    return version;
  }

  @Override
  public Query query() {
    return query;
  }

  @Override
  public EventTypes<E> types() {
    return types;
  }

  /** The logical names of its tables. */
  public List<String> tables() {
    return tables;
  }

  /** Creates its tables. */
  public TableSchema schema() {
    return schema;
  }

  /** How an event changes its tables. */
  public TableHandler<E> handler() {
    return handler;
  }

  @Override
  public String toString() {
    return name + " v" + version;
  }

  /**
   * Builds a {@link TableView}.
   *
   * @param <E> the model's event type
   */
  public static final class Builder<E> {
    private final String name;
    private final EventTypes<E> types;
    private int version = 1;
    private @Nullable Query query;
    private List<String> tables = List.of();
    private @Nullable TableSchema schema;
    private @Nullable TableHandler<E> handler;

    private Builder(String name, EventTypes<E> types) {
      this.name = name;
      this.types = Objects.requireNonNull(types, "types");
    }

    /** The version of its code (1 unless told). */
    public Builder<E> version(int value) {
      version = View.checkVersion(value);
      return this;
    }

    /** The events it folds; all the types registered in its {@link EventTypes} unless told. */
    public Builder<E> query(Query value) {
      query = Objects.requireNonNull(value, "query");
      return this;
    }

    /** The logical names of its tables, each like a view name (at most 30 chars). */
    public Builder<E> tables(String... logical) {
      for (String table : logical) {
        View.checkName(table);
      }
      tables = List.of(logical);
      return this;
    }

    /** Creates its tables. */
    public Builder<E> schema(TableSchema value) {
      schema = Objects.requireNonNull(value, "schema");
      return this;
    }

    /** How an event changes its tables. */
    public Builder<E> apply(TableHandler<E> value) {
      handler = Objects.requireNonNull(value, "handler");
      return this;
    }

    /** The view. */
    public TableView<E> build() {
      if (tables.isEmpty() || schema == null || handler == null) {
        throw new IllegalStateException("a table view needs tables(...), schema(...) and apply(...)");
      }
      return new TableView<>(this, schema, handler);
    }
  }
}

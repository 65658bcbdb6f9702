package io.chiplog.views;

import io.chiplog.api.Query;
import io.chiplog.model.EventTypes;
import io.chiplog.model.Recorded;
import java.util.Collection;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A view that keeps a value per key, read by key in O(1) with a {@link ViewReader}. Values are
 * stored as JSON (the model's Jackson mapper), so records and {@code java.time} types work.
 *
 * <pre>{@code
 * // Books per category: a fold per key.
 * var books = KeyValueView.builder("books_by_category", types, Shelf.class)
 *     .version(1)
 *     .fold(e -> e instanceof BookAdded b ? List.of(b.category()) : List.of(),
 *         Shelf.EMPTY, (shelf, e) -> shelf.with((BookAdded) e))
 *     .build();
 * }</pre>
 *
 * <p>{@link Builder#apply} takes a general handler instead, for events that change several keys
 * from values it reads (friends of friends).
 *
 * @param <E> the model's event type
 * @param <V> the value type
 */
public final class KeyValueView<E, V> implements View<E> {
  private final String name;
  private final int version;
  private final Query query;
  private final EventTypes<E> types;
  private final Class<V> valueType;
  private final KeyValueHandler<E, V> handler;

  private KeyValueView(Builder<E, V> builder, KeyValueHandler<E, V> handler) {
    this.name = builder.name;
    this.version = builder.version;
    this.types = builder.types;
    this.query = builder.query != null ? builder.query : Query.types(builder.types.names().toArray(String[]::new));
    this.valueType = builder.valueType;
    this.handler = handler;
  }

  /** Starts a view named {@code name} over the events of {@code types}, with values of {@code valueType}. */
  public static <E, V> Builder<E, V> builder(String name, EventTypes<E> types, Class<V> valueType) {
    return new Builder<>(View.checkName(name), types, valueType);
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

  /** The class of its values. */
  public Class<V> valueType() {
    return valueType;
  }

  /** How an event changes it. */
  public KeyValueHandler<E, V> handler() {
    return handler;
  }

  @Override
  public String toString() {
    return name + " v" + version;
  }

  /**
   * Builds a {@link KeyValueView}.
   *
   * @param <E> the model's event type
   * @param <V> the value type
   */
  public static final class Builder<E, V> {
    private final String name;
    private final EventTypes<E> types;
    private final Class<V> valueType;
    private int version = 1;
    private @Nullable Query query;
    private @Nullable KeyValueHandler<E, V> handler;

    private Builder(String name, EventTypes<E> types, Class<V> valueType) {
      this.name = name;
      this.types = Objects.requireNonNull(types, "types");
      this.valueType = Objects.requireNonNull(valueType, "valueType");
    }

    /** The version of its code (1 unless told); a new version is rebuilt beside the old one. */
    public Builder<E, V> version(int value) {
      version = View.checkVersion(value);
      return this;
    }

    /** The events it folds; all the types registered in its {@link EventTypes} unless told. */
    public Builder<E, V> query(Query value) {
      query = Objects.requireNonNull(value, "query");
      return this;
    }

    /** A general handler: reads and changes any keys for each event. */
    public Builder<E, V> apply(KeyValueHandler<E, V> value) {
      handler = Objects.requireNonNull(value, "handler");
      return this;
    }

    /**
     * A fold per key: each event names the keys it concerns, and each of their values evolves
     * from {@code initial} (when absent) by {@code evolve}.
     */
    public Builder<E, V> fold(Function<? super E, ? extends Collection<String>> keys, V initial, BiFunction<V, ? super E, V> evolve) {
      Objects.requireNonNull(initial, "initial");
      handler = (Recorded<E> event, Changes<V> changes) -> {
        for (String key : keys.apply(event.event())) {
          V current = changes.get(key);
          changes.put(key, evolve.apply(current == null ? initial : current, event.event()));
        }
      };
      return this;
    }

    /** The view. */
    public KeyValueView<E, V> build() {
      if (handler == null) {
        throw new IllegalStateException("a key-value view needs apply(...) or fold(...)");
      }
      return new KeyValueView<>(this, handler);
    }
  }
}

package io.chiplog.api;

import java.util.List;
import java.util.Set;

/**
 * What to read, subscribe to, or guard against in an {@link AppendCondition}: a list of
 * {@link QueryItem}s. An event matches the query when it matches any item; a query without items
 * matches every event.
 *
 * <pre>{@code
 * Query.of(QueryItem.types("BookAdded").withTags("category:fiction"),
 *          QueryItem.types("CategoryRenamed").withTags("category:fiction"))
 * }</pre>
 *
 * @param items the alternatives; empty matches everything
 */
public record Query(List<QueryItem> items) {
  private static final Query ALL = new Query(List.of());

  /** Copies the items. */
  public Query {
    if (items == null) {
      throw new InvalidEventException("items", "must not be null");
    }
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) == null) {
        throw new InvalidEventException("items[" + i + "]", "must not be null");
      }
    }
    items = List.copyOf(items);
  }

  /** The query that matches every event. */
  public static Query all() {
    return ALL;
  }

  /** A query matching any of the items. */
  public static Query of(QueryItem... items) {
    return new Query(List.of(items));
  }

  /** A query matching events of any of these types. */
  public static Query types(String... types) {
    return of(QueryItem.types(types));
  }

  /** A query matching events that carry all of these tags. */
  public static Query tags(String... tags) {
    return of(QueryItem.tags(tags));
  }

  /** Whether this query matches every event. */
  public boolean matchesAll() {
    return items.isEmpty() || items.stream().anyMatch(i -> i.types().isEmpty() && i.tags().isEmpty());
  }

  /** Whether an event of {@code type} with {@code tags} matches. */
  public boolean matches(String type, Set<String> tags) {
    if (items.isEmpty()) {
      return true;
    }
    for (QueryItem item : items) {
      if (item.matches(type, tags)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code event} matches. */
  public boolean matches(RecordedEvent event) {
    return matches(event.type(), event.tags());
  }

  /** Whether {@code event} matches. */
  public boolean matches(EventData event) {
    return matches(event.type(), event.tags());
  }

  @Override
  public String toString() {
    return items.isEmpty() ? "Query[all]" : "Query" + items;
  }
}

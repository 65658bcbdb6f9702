package io.chiplog.model;

import io.chiplog.api.Query;
import java.util.function.BiFunction;

/**
 * A small decision model: the events of one query (its consistency boundary) folded into the one
 * fact a decision needs. Several compose into one decision whose boundary is the union of their
 * queries ({@link DecisionContext#readAll}):
 *
 * <pre>{@code
 * static Projection<Boolean, LibraryEvent> categoryExists(String category) {
 *   return Projection.of("categoryExists", Query.of(QueryItem.types("CategoryAdded").withTags("category:" + category)),
 *       false, (exists, event) -> true);
 * }
 * static Projection<Integer, LibraryEvent> booksInCategory(String category) {
 *   return Projection.of("booksInCategory", Query.of(QueryItem.types("BookAdded").withTags("category:" + category)),
 *       0, (count, event) -> count + 1);
 * }
 * }</pre>
 *
 * @param name a name for messages and metrics
 * @param query the events it folds: its consistency boundary
 * @param initial its state before any event
 * @param evolve the fold, over the events of {@code query} only
 * @param lastOnly whether only the last matching event matters (see {@link #last}), so the read
 *     can fetch just that one however long the history
 * @param <S> the state
 * @param <E> the events
 */
public record Projection<S, E>(String name, Query query, S initial, BiFunction<S, E, S> evolve, boolean lastOnly) {

  /** Checks that nothing is missing. */
  public Projection {
    if (name == null || query == null || initial == null || evolve == null) {
      throw new IllegalArgumentException("a projection needs a name, a query, an initial state and evolve");
    }
  }

  /** A projection that folds every matching event. */
  public static <S, E> Projection<S, E> of(String name, Query query, S initial, BiFunction<S, E, S> evolve) {
    return new Projection<>(name, query, initial, evolve, false);
  }

  /**
   * A projection whose state depends only on the last matching event, such as "the highest
   * number in the category" when numbers only grow: it reads one event, newest first, instead of
   * the category's whole history, and guards the same boundary.
   */
  public static <S, E> Projection<S, E> last(String name, Query query, S initial, BiFunction<S, E, S> evolve) {
    return new Projection<>(name, query, initial, evolve, true);
  }
}

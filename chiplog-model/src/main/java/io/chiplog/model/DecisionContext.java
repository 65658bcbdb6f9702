package io.chiplog.model;

import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a decision body gets: the time and ids ({@link CommandContext}) and reads of projections.
 * Every read widens the decision's consistency boundary: its append fails if an event matching
 * any query read has appeared since. One per attempt; not thread-safe.
 *
 * @param <E> the events
 */
public interface DecisionContext<E> extends CommandContext {

  /**
   * Reads the projections' union query once and folds each projection over its own events. Read
   * everything a decision needs in one call: each read widens the boundary from the position it
   * covered, so a second read after a write to the first one's boundary conflicts again and
   * again.
   *
   * @return each projection's state
   */
  States<E> readAll(List<? extends Projection<?, E>> projections);

  /** Reads one projection and returns its state. */
  default <S> S read(Projection<S, E> projection) {
    return readAll(List.of(projection)).get(projection);
  }

  /** The states of the projections read together. */
  final class States<E> {
    private final Map<Projection<?, E>, Object> byProjection = new IdentityHashMap<>();

    /** Records {@code state} for {@code projection}. */
    void put(Projection<?, E> projection, Object state) {
      byProjection.put(projection, state);
    }

    /**
     * The state of {@code projection}.
     *
     * @throws IllegalArgumentException when it was not read
     */
    @SuppressWarnings("unchecked")
    public <S> S get(Projection<S, E> projection) {
      Object state = byProjection.get(projection);
      if (state == null) {
        throw new IllegalArgumentException("the projection " + projection.name()
            + " was not read here: pass get() the very instance given to readAll()");
      }
      return (S) state;
    }
  }

  /** The union of the projections' queries: one read answers them all. */
  static Query union(List<? extends Projection<?, ?>> projections) {
    var items = new ArrayList<QueryItem>();
    for (Projection<?, ?> projection : projections) {
      if (projection.query().matchesAll()) {
        return Query.all();
      }
      items.addAll(projection.query().items());
    }
    return new Query(items);
  }
}

package io.chiplog.store.internal.read;

import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.store.internal.index.KeyIndex;
import io.chiplog.store.internal.index.Postings;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the positions matching a query with the key index alone, reading no events. Each item
 * is driven by its smallest posting list (its rarest tag, or the union of its types) and every
 * candidate is checked against the item's other lists by binary search, so the work grows with
 * the events of the rarest key in range, not with the size of the store.
 *
 * <p>A query that matches everything has no useful index; callers scan the log instead ({@link
 * Query#matchesAll()}). Thread-safe.
 */
public final class QueryMatcher {
  private final KeyIndex keys;

  /** A matcher over {@code keys}. */
  public QueryMatcher(KeyIndex keys) {
    this.keys = keys;
  }

  /** Matching positions in {@code [from, last]}, ascending. The query must not match all. */
  PositionCursor ascending(Query query, long from, long last) {
    var cursors = new ArrayList<PositionCursor>();
    for (QueryItem item : query.items()) {
      cursors.add(item(item, true, from, last));
    }
    return PositionCursor.union(cursors, true);
  }

  /** Matching positions from {@code min(from, last)} down to 1, descending. */
  PositionCursor descending(Query query, long from, long last) {
    var cursors = new ArrayList<PositionCursor>();
    for (QueryItem item : query.items()) {
      cursors.add(item(item, false, Math.min(from, last), last));
    }
    return PositionCursor.union(cursors, false);
  }

  /**
   * The lowest position in {@code (after, last]} matching {@code query}, or {@link
   * PositionCursor#DONE}: the DCB check. Used by the writer, which has indexed the events it
   * accepted earlier in the same batch, so they count too.
   */
  public long firstMatchAfter(Query query, long after, long last) {
    if (after >= last) {
      return PositionCursor.DONE;
    }
    if (query.matchesAll()) {
      return after + 1;
    }
    return ascending(query, after + 1, last).next();
  }

  private PositionCursor item(QueryItem item, boolean ascending, long from, long last) {
    // Ascending reads never look below `from`; descending ones need everything below it.
    long skipBelow = ascending ? from : 0;
    var tagLists = new ArrayList<Postings>(item.tags().size());
    for (String tag : item.tags()) {
      tagLists.add(keys.postings(KeyIndex.tagKey(tag), skipBelow));
    }
    var typeLists = new ArrayList<Postings>(item.types().size());
    long typesSize = 0;
    for (String type : item.types()) {
      Postings postings = keys.postings(KeyIndex.typeKey(type), skipBelow);
      typeLists.add(postings);
      typesSize += postings.size();
    }
    Postings rarestTag = null;
    for (Postings list : tagLists) {
      if (rarestTag == null || list.size() < rarestTag.size()) {
        rarestTag = list;
      }
    }
    PositionCursor driver;
    boolean drivenByTypes = rarestTag == null || (!typeLists.isEmpty() && typesSize < rarestTag.size());
    if (drivenByTypes) {
      var typeCursors = new ArrayList<PositionCursor>();
      for (Postings list : typeLists) {
        typeCursors.add(ascending ? PositionCursor.ascending(list, from, last) : PositionCursor.descending(list, from));
      }
      driver = PositionCursor.union(typeCursors, ascending);
    } else {
      driver = ascending ? PositionCursor.ascending(rarestTag, from, last) : PositionCursor.descending(rarestTag, from);
    }
    List<Postings> tagsToCheck = drivenByTypes ? tagLists : without(tagLists, rarestTag);
    List<Postings> typesToCheck = drivenByTypes ? List.of() : typeLists;
    if (tagsToCheck.isEmpty() && typesToCheck.isEmpty()) {
      return driver;
    }
    return () -> {
      for (long p = driver.next(); p != PositionCursor.DONE; p = driver.next()) {
        if (containsAll(tagsToCheck, p) && (typesToCheck.isEmpty() || containsAny(typesToCheck, p))) {
          return p;
        }
      }
      return PositionCursor.DONE;
    };
  }

  private static List<Postings> without(List<Postings> lists, Postings excluded) {
    var rest = new ArrayList<Postings>(lists.size());
    for (Postings list : lists) {
      if (list != excluded) {
        rest.add(list);
      }
    }
    return rest;
  }

  private static boolean containsAll(List<Postings> lists, long position) {
    for (Postings list : lists) {
      if (!list.contains(position)) {
        return false;
      }
    }
    return true;
  }

  private static boolean containsAny(List<Postings> lists, long position) {
    for (Postings list : lists) {
      if (list.contains(position)) {
        return true;
      }
    }
    return false;
  }
}

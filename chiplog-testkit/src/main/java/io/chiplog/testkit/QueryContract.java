package io.chiplog.testkit;

import static io.chiplog.testkit.TestEvents.append;
import static io.chiplog.testkit.TestEvents.event;
import static io.chiplog.testkit.TestEvents.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.EventStore;
import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.RecordedEvent;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Queries select by type and tags: an item needs one of its types and all of its tags; a query
 * needs any of its items.
 */
public interface QueryContract extends StoreContract {

  /** Writes five events of a small library catalogue. */
  private static void catalogue(EventStore store) {
    append(
        store,
        event("BookAdded", "category:fiction", "book:1"),
        event("BookAdded", "category:science", "book:2"),
        event("BookLent", "category:fiction", "book:1", "member:7"),
        event("MemberJoined", "member:7"),
        event("BookAdded", "category:fiction", "book:3"));
  }

  private static List<String> describe(List<RecordedEvent> events) {
    return events.stream().map(e -> e.type() + e.tags()).toList();
  }

  @Test
  default void typesOnly(EventStore store) {
    catalogue(store);

    assertThat(describe(readAll(store, Query.types("BookAdded"))))
        .containsExactly(
            "BookAdded[book:1, category:fiction]",
            "BookAdded[book:2, category:science]",
            "BookAdded[book:3, category:fiction]");
  }

  @Test
  default void severalTypesInOneItemMatchAnyOfThem(EventStore store) {
    catalogue(store);

    assertThat(readAll(store, Query.types("BookLent", "MemberJoined")))
        .extracting(RecordedEvent::type)
        .containsExactly("BookLent", "MemberJoined");
  }

  @Test
  default void tagsOnly(EventStore store) {
    catalogue(store);

    assertThat(readAll(store, Query.tags("member:7")))
        .extracting(RecordedEvent::type)
        .containsExactly("BookLent", "MemberJoined");
  }

  @Test
  default void severalTagsMustAllMatch(EventStore store) {
    catalogue(store);

    assertThat(readAll(store, Query.tags("category:fiction", "book:1")))
        .extracting(RecordedEvent::type)
        .containsExactly("BookAdded", "BookLent");
  }

  @Test
  default void typesAndTagsInOneItemMustBothMatch(EventStore store) {
    catalogue(store);

    var query = Query.of(QueryItem.types("BookAdded").withTags("category:fiction"));

    assertThat(describe(readAll(store, query)))
        .containsExactly("BookAdded[book:1, category:fiction]", "BookAdded[book:3, category:fiction]");
  }

  @Test
  default void severalItemsMatchAnyItem(EventStore store) {
    catalogue(store);

    var query = Query.of(QueryItem.types("MemberJoined"), QueryItem.tags("category:science"));

    assertThat(readAll(store, query))
        .extracting(RecordedEvent::type)
        .containsExactly("BookAdded", "MemberJoined");
  }

  @Test
  default void anEventMatchingSeveralItemsIsReadOnce(EventStore store) {
    catalogue(store);

    var query = Query.of(QueryItem.types("BookLent"), QueryItem.tags("member:7"), QueryItem.tags("book:1"));

    assertThat(readAll(store, query))
        .extracting(RecordedEvent::type)
        .containsExactly("BookAdded", "BookLent", "MemberJoined");
  }

  @Test
  default void emptyQueryMatchesEverything(EventStore store) {
    catalogue(store);

    assertThat(readAll(store, Query.all())).hasSize(5);
    assertThat(readAll(store, new Query(List.of()))).hasSize(5);
  }

  @Test
  default void emptyItemMatchesEverything(EventStore store) {
    catalogue(store);

    assertThat(readAll(store, Query.of(new QueryItem(Set.of(), Set.of())))).hasSize(5);
  }

  @Test
  default void queryMatchingNothingReadsNothing(EventStore store) {
    catalogue(store);

    assertThat(readAll(store, Query.types("Unknown"))).isEmpty();
    assertThat(readAll(store, Query.tags("category:fiction", "member:8"))).isEmpty();
  }

  @Test
  default void tagsAreMatchedExactlyNotByPrefix(EventStore store) {
    append(store, event("T", "book:1"), event("T", "book:10"), event("T", "Book:1"));

    assertThat(readAll(store, Query.tags("book:1"))).hasSize(1);
  }

  @Test
  default void typesAreMatchedExactly(EventStore store) {
    append(store, event("BookAdded"), event("bookadded"), event("BookAddedV2"));

    assertThat(readAll(store, Query.types("BookAdded")))
        .extracting(RecordedEvent::type)
        .containsExactly("BookAdded");
  }
}

package io.chiplog.testkit;

import static io.chiplog.testkit.Conflicts.conflictOf;
import static io.chiplog.testkit.TestEvents.append;
import static io.chiplog.testkit.TestEvents.event;
import static io.chiplog.testkit.TestEvents.events;
import static io.chiplog.testkit.TestEvents.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.AppendCondition;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.ConflictReason.ConditionMatched;
import io.chiplog.api.ConflictReason.RevisionMismatch;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.RecordedEvent;
import org.junit.jupiter.api.Test;

/**
 * Dynamic Consistency Boundaries: {@code failIfEventsMatch} with and without {@code after}, alone
 * and with a stream check. A failed condition writes nothing.
 */
public interface ConditionContract extends StoreContract {

  /** The boundary of "unique book number in category fiction". */
  Query FICTION_BOOKS = Query.of(QueryItem.types("BookAdded").withTags("category:fiction"));

  private static AppendRequest addFictionBook(AppendCondition condition) {
    return AppendRequest.of(event("BookAdded", "category:fiction")).withCondition(condition);
  }

  @Test
  default void conditionWithoutAfterFailsOnAnyMatchingEvent(EventStore store) {
    long match = append(store, event("BookAdded", "category:fiction")).firstPosition();
    append(store, event("BookAdded", "category:science"));

    var reason = conflictOf(ConditionMatched.class,
        () -> store.append(addFictionBook(AppendCondition.failIfEventsMatch(FICTION_BOOKS))));

    assertThat(reason.firstMatch()).isEqualTo(match);
    assertThat(reason.after()).isZero();
    assertThat(reason.query()).isEqualTo(FICTION_BOOKS);
  }

  @Test
  default void conditionWithoutAfterPassesWhenNothingMatches(EventStore store) {
    append(store, event("BookAdded", "category:science"), event("BookLent", "category:fiction"));

    var result = store.append(addFictionBook(AppendCondition.failIfEventsMatch(FICTION_BOOKS)));

    assertThat(result.eventCount()).isEqualTo(1);
  }

  @Test
  default void conditionPassesWhenMatchesAreOnlyAtOrBeforeAfter(EventStore store) {
    append(store, event("BookAdded", "category:fiction"));
    long seen = append(store, event("BookAdded", "category:fiction")).lastPosition();
    append(store, event("BookAdded", "category:science"), event("MemberJoined"));

    var result = store.append(addFictionBook(AppendCondition.failIfEventsMatch(FICTION_BOOKS).after(seen)));

    assertThat(result.firstPosition()).isGreaterThan(seen);
  }

  @Test
  default void conditionFailsWhenAMatchFollowsAfterAndReportsTheFirst(EventStore store) {
    long seen = append(store, event("BookAdded", "category:fiction")).lastPosition();
    append(store, event("Noise"));
    long first = append(store, event("BookAdded", "category:fiction")).lastPosition();
    append(store, event("BookAdded", "category:fiction"));

    var reason = conflictOf(ConditionMatched.class,
        () -> store.append(addFictionBook(AppendCondition.failIfEventsMatch(FICTION_BOOKS).after(seen))));

    assertThat(reason.after()).isEqualTo(seen);
    assertThat(reason.firstMatch()).isEqualTo(first);
  }

  @Test
  default void afterIsExclusive(EventStore store) {
    append(store, event("Noise"));
    long match = append(store, event("BookAdded", "category:fiction")).lastPosition();

    store.append(addFictionBook(AppendCondition.failIfEventsMatch(FICTION_BOOKS).after(match)));

    conflictOf(ConditionMatched.class,
        () -> store.append(addFictionBook(AppendCondition.failIfEventsMatch(FICTION_BOOKS).after(match - 1))));
  }

  @Test
  default void afterAtTheHeadAlwaysPasses(EventStore store) {
    append(store, events(5, "BookAdded", "category:fiction").toArray(EventData[]::new));

    var result = store.append(addFictionBook(AppendCondition.failIfEventsMatch(FICTION_BOOKS).after(store.head())));

    assertThat(result.eventCount()).isEqualTo(1);
  }

  @Test
  default void eventsOutsideTheBoundaryDoNotConflict(EventStore store) {
    long seen = append(store, event("BookAdded", "category:fiction")).lastPosition();
    append(store,
        event("BookAdded", "category:science"),
        event("BookLent", "category:fiction"),
        event("BookAdded"));

    var result = store.append(addFictionBook(AppendCondition.failIfEventsMatch(FICTION_BOOKS).after(seen)));

    assertThat(result.eventCount()).isEqualTo(1);
  }

  @Test
  default void anyItemOfTheConditionQueryConflicts(EventStore store) {
    long seen = store.head();
    append(store, event("CategoryRenamed", "category:fiction"));
    var boundary = Query.of(
        QueryItem.types("BookAdded").withTags("category:fiction"),
        QueryItem.types("CategoryRenamed").withTags("category:fiction"));

    conflictOf(ConditionMatched.class,
        () -> store.append(addFictionBook(AppendCondition.failIfEventsMatch(boundary).after(seen))));
  }

  @Test
  default void anEmptyConditionQueryConflictsWithAnyLaterEvent(EventStore store) {
    long seen = append(store, event("A")).lastPosition();
    store.append(AppendRequest.of(event("B")).withCondition(AppendCondition.failIfEventsMatch(Query.all()).after(seen)));

    conflictOf(ConditionMatched.class,
        () -> store.append(AppendRequest.of(event("C")).withCondition(AppendCondition.failIfEventsMatch(Query.all()).after(seen))));
  }

  @Test
  default void theAppendsOwnEventsDoNotCountAgainstItsCondition(EventStore store) {
    var condition = AppendCondition.failIfEventsMatch(FICTION_BOOKS);

    var result = store.append(AppendRequest.of(events(3, "BookAdded", "category:fiction")).withCondition(condition));

    assertThat(result.eventCount()).isEqualTo(3);
  }

  @Test
  default void aFailedConditionWritesNoneOfTheBatch(EventStore store) {
    append(store, event("BookAdded", "category:fiction"));
    long head = store.head();

    conflictOf(ConditionMatched.class,
        () -> store.append(AppendRequest.of(events(10, "BookAdded", "category:fiction"))
            .withCondition(AppendCondition.failIfEventsMatch(FICTION_BOOKS))));

    assertThat(store.head()).isEqualTo(head);
    assertThat(readAll(store)).hasSize(1);
  }

  @Test
  default void streamCheckAndConditionBothPass(EventStore store) {
    append(store, event("BookAdded", "category:fiction"));
    long seen = store.head();

    var result = store.append(addFictionBook(AppendCondition.failIfEventsMatch(FICTION_BOOKS).after(seen))
        .toStream("book-9", ExpectedRevision.noStream()));

    assertThat(result.streamRevision()).isZero();
  }

  @Test
  default void streamCheckFailsWhileTheConditionWouldPass(EventStore store) {
    store.append(AppendRequest.of(event("BookAdded")).toStream("book-9"));
    long seen = store.head();

    conflictOf(RevisionMismatch.class,
        () -> store.append(addFictionBook(AppendCondition.failIfEventsMatch(FICTION_BOOKS).after(seen))
            .toStream("book-9", ExpectedRevision.noStream())));

    assertThat(readAll(store)).hasSize(1);
  }

  @Test
  default void conditionFailsWhileTheStreamCheckWouldPass(EventStore store) {
    append(store, event("BookAdded", "category:fiction"));

    conflictOf(ConditionMatched.class,
        () -> store.append(addFictionBook(AppendCondition.failIfEventsMatch(FICTION_BOOKS))
            .toStream("book-9", ExpectedRevision.noStream())));

    assertThat(readAll(store)).extracting(RecordedEvent::stream).containsOnlyNulls();
  }
}

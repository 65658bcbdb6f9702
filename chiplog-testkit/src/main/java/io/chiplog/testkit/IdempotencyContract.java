package io.chiplog.testkit;

import static io.chiplog.testkit.Conflicts.conflictOf;
import static io.chiplog.testkit.TestEvents.event;
import static io.chiplog.testkit.TestEvents.events;
import static io.chiplog.testkit.TestEvents.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.AppendCondition;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.ConflictReason.EventIdsAlreadyStored;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.InvalidEventException;
import io.chiplog.api.Query;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Appending again a batch whose ids are already stored, in the same order, by one append, returns
 * the original result and writes nothing; any other overlap of ids is refused.
 */
public interface IdempotencyContract extends StoreContract {

  @Test
  default void theSameBatchAgainReturnsTheOriginalResultAndWritesNothing(EventStore store) {
    var batch = AppendRequest.of(events(3, "Paid"));
    AppendResult original = store.append(batch);
    store.append(AppendRequest.of(event("Later")));

    AppendResult retried = store.append(batch);

    assertThat(retried).isEqualTo(original);
    assertThat(readAll(store)).hasSize(4);
  }

  @Test
  default void aRetryToAStreamReturnsTheOriginalRevisionThoughTheStreamMovedOn(EventStore store) {
    var batch = AppendRequest.of(event("Opened")).toStream("acct-1", ExpectedRevision.noStream());
    AppendResult original = store.append(batch);
    store.append(AppendRequest.of(event("Deposited")).toStream("acct-1", ExpectedRevision.exactly(0)));

    AppendResult retried = store.append(batch);

    assertThat(retried).isEqualTo(original);
    assertThat(retried.streamRevision()).isZero();
    assertThat(readAll(store)).hasSize(2);
  }

  @Test
  default void aRetryOfAConditionalAppendReturnsTheOriginal(EventStore store) {
    var batch = AppendRequest.of(event("BookAdded", "category:fiction"))
        .withCondition(AppendCondition.failIfEventsMatch(Query.types("BookAdded")));
    AppendResult original = store.append(batch);

    assertThat(store.append(batch)).isEqualTo(original);
    assertThat(readAll(store)).hasSize(1);
  }

  @Test
  default void aBatchThatPartlyOverlapsIsRefusedAndWritesNothing(EventStore store) {
    List<EventData> first = events(2, "A");
    store.append(AppendRequest.of(first));
    var overlapping = new ArrayList<>(List.of(first.get(1)));
    overlapping.add(event("New"));

    var reason = conflictOf(EventIdsAlreadyStored.class, () -> store.append(AppendRequest.of(overlapping)));

    assertThat(reason.storedIds()).containsExactly(first.get(1).id());
    assertThat(readAll(store)).hasSize(2);
  }

  @Test
  default void theSameIdsInAnotherOrderAreRefused(EventStore store) {
    List<EventData> batch = events(3, "A");
    store.append(AppendRequest.of(batch));

    conflictOf(EventIdsAlreadyStored.class, () -> store.append(AppendRequest.of(batch.reversed())));
    assertThat(readAll(store)).hasSize(3);
  }

  @Test
  default void thePrefixOfAnEarlierBatchIsRefused(EventStore store) {
    List<EventData> batch = events(3, "A");
    store.append(AppendRequest.of(batch));

    conflictOf(EventIdsAlreadyStored.class, () -> store.append(AppendRequest.of(batch.subList(0, 2))));
    assertThat(readAll(store)).hasSize(3);
  }

  @Test
  default void theIdsOfTwoAppendsTogetherAreRefused(EventStore store) {
    var a = event("A");
    var b = event("B");
    store.append(AppendRequest.of(a));
    store.append(AppendRequest.of(b));

    conflictOf(EventIdsAlreadyStored.class, () -> store.append(AppendRequest.of(a, b)));
    assertThat(readAll(store)).hasSize(2);
  }

  @Test
  default void aRetryAimedAtAnotherStreamIsRefused(EventStore store) {
    var batch = AppendRequest.of(event("Opened")).toStream("acct-1");
    store.append(batch);

    conflictOf(EventIdsAlreadyStored.class, () -> store.append(batch.toStream("acct-2")));
    assertThat(readAll(store)).hasSize(1);
  }

  @Test
  default void aDuplicateIdInsideOneBatchIsInvalid(EventStore store) {
    var once = event("A");

    assertThatThrownBy(() -> store.append(AppendRequest.of(once, event("B"), once)))
        .isInstanceOfSatisfying(InvalidEventException.class,
            e -> assertThat(e.field()).isEqualTo("events[2].id"));
    assertThat(store.head()).isZero();
  }
}

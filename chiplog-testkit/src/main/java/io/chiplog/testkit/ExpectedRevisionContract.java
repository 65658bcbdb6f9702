package io.chiplog.testkit;

import static io.chiplog.testkit.Conflicts.conflictOf;
import static io.chiplog.testkit.TestEvents.appendTo;
import static io.chiplog.testkit.TestEvents.event;
import static io.chiplog.testkit.TestEvents.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.ConflictReason.RevisionMismatch;
import io.chiplog.api.EventStore;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.RecordedEvent;
import org.junit.jupiter.api.Test;

/**
 * Every form of expected revision: any, no stream, an existing stream, an exact revision. A
 * mismatch is a conflict that reports the actual revision and writes nothing.
 */
public interface ExpectedRevisionContract extends StoreContract {

  @Test
  default void anyAppendsToANewAndToAnExistingStream(EventStore store) {
    assertThat(appendTo(store, "s", ExpectedRevision.any(), event("A")).streamRevision()).isZero();
    assertThat(appendTo(store, "s", ExpectedRevision.any(), event("B")).streamRevision()).isEqualTo(1);
  }

  @Test
  default void noStreamCreatesANewStream(EventStore store) {
    var result = appendTo(store, "s", ExpectedRevision.noStream(), event("A"), event("B"));

    assertThat(result.streamRevision()).isEqualTo(1);
  }

  @Test
  default void noStreamFailsOnAnExistingStreamAndReportsItsRevision(EventStore store) {
    appendTo(store, "s", ExpectedRevision.any(), event("A"), event("B"));

    var reason = conflictOf(RevisionMismatch.class,
        () -> appendTo(store, "s", ExpectedRevision.noStream(), event("C")));

    assertThat(reason.stream()).isEqualTo("s");
    assertThat(reason.expected()).isEqualTo(ExpectedRevision.noStream());
    assertThat(reason.actual()).isEqualTo(1);
    assertThat(readAll(store)).hasSize(2);
  }

  @Test
  default void existsFailsOnAMissingStream(EventStore store) {
    var reason = conflictOf(RevisionMismatch.class,
        () -> appendTo(store, "missing", ExpectedRevision.exists(), event("A")));

    assertThat(reason.actual()).isEqualTo(RecordedEvent.NO_REVISION);
    assertThat(store.head()).isZero();
  }

  @Test
  default void existsAppendsToAnExistingStream(EventStore store) {
    appendTo(store, "s", ExpectedRevision.noStream(), event("A"));

    assertThat(appendTo(store, "s", ExpectedRevision.exists(), event("B")).streamRevision()).isEqualTo(1);
  }

  @Test
  default void exactRevisionAppendsWhenItMatches(EventStore store) {
    appendTo(store, "s", ExpectedRevision.noStream(), event("A"), event("B"));

    var result = appendTo(store, "s", ExpectedRevision.exactly(1), event("C"));

    assertThat(result.streamRevision()).isEqualTo(2);
  }

  @Test
  default void exactRevisionBehindTheStreamFails(EventStore store) {
    appendTo(store, "s", ExpectedRevision.noStream(), event("A"), event("B"), event("C"));

    var reason = conflictOf(RevisionMismatch.class,
        () -> appendTo(store, "s", ExpectedRevision.exactly(1), event("D")));

    assertThat(reason.expected()).isEqualTo(ExpectedRevision.exactly(1));
    assertThat(reason.actual()).isEqualTo(2);
    assertThat(readAll(store)).hasSize(3);
  }

  @Test
  default void exactRevisionAheadOfTheStreamFails(EventStore store) {
    appendTo(store, "s", ExpectedRevision.noStream(), event("A"));

    var reason = conflictOf(RevisionMismatch.class,
        () -> appendTo(store, "s", ExpectedRevision.exactly(5), event("B")));

    assertThat(reason.actual()).isZero();
  }

  @Test
  default void exactRevisionZeroOnAMissingStreamFails(EventStore store) {
    var reason = conflictOf(RevisionMismatch.class,
        () -> appendTo(store, "missing", ExpectedRevision.exactly(0), event("A")));

    assertThat(reason.actual()).isEqualTo(RecordedEvent.NO_REVISION);
    assertThat(store.head()).isZero();
  }

  @Test
  default void theCheckIsPerStream(EventStore store) {
    appendTo(store, "a", ExpectedRevision.noStream(), event("A"), event("A"));

    var result = appendTo(store, "b", ExpectedRevision.noStream(), event("B"));

    assertThat(result.streamRevision()).isZero();
  }

  @Test
  default void aFailedBatchToAStreamWritesNoneOfItsEvents(EventStore store) {
    appendTo(store, "s", ExpectedRevision.noStream(), event("A"));
    long head = store.head();

    conflictOf(RevisionMismatch.class,
        () -> appendTo(store, "s", ExpectedRevision.exactly(7), event("B"), event("C"), event("D")));

    assertThat(store.head()).isEqualTo(head);
    assertThat(readAll(store)).extracting(RecordedEvent::type).containsExactly("A");
    assertThat(appendTo(store, "s", ExpectedRevision.exactly(0), event("E")).streamRevision()).isEqualTo(1);
  }
}

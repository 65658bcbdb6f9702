package io.chiplog.examples.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.examples.library.LibraryEvent.BookAdded;
import io.chiplog.examples.library.LibraryEvent.CategoryAdded;
import io.chiplog.examples.library.LibraryEvent.EditionStarted;
import io.chiplog.model.Commands;
import io.chiplog.model.ModelOptions;
import io.chiplog.model.Recorded;
import io.chiplog.store.FileEventStore;
import io.chiplog.views.InMemoryViewStore;
import io.chiplog.views.Views;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events stored by version 0 of the library, written as raw {@link EventData} into a real store
 * and read back through the model: the upcasters make them today's events, and today's
 * decisions build on them.
 */
class UpcastingTest {
  @TempDir Path directory;

  @BeforeEach
  void storeVersionZeroEvents() {
    try (var store = FileEventStore.open(directory)) {
      store.append(AppendRequest.of(EventData.ofJson("CategoryAdded", "{\"categoryId\":\"fiction\",\"name\":\"Fiction\"}")
          .withTags("category:fiction")));
      store.append(AppendRequest.of(
          EventData.ofJson("BookEntered", "{\"bookId\":\"old-1\",\"category\":\"fiction\",\"number\":1,\"title\":\"Dune\"}")
              .withTags("book:old-1", "category:fiction")));
      // Version 0 kept editions in the book's stream, a based one as two events.
      store.append(AppendRequest.of(EventData.ofJson("BookEditionStarted", "{\"bookId\":\"old-1\",\"edition\":1}")
              .withTags("book:old-1"))
          .toStream("book-old-1", ExpectedRevision.noStream()));
      store.append(AppendRequest.of(
              EventData.ofJson("BookEditionStarted", "{\"bookId\":\"old-1\",\"edition\":2}").withTags("book:old-1"),
              EventData.ofJson("EditionBaseChosen", "{\"bookId\":\"old-1\",\"edition\":2,\"baseEdition\":1}")
                  .withTags("book:old-1"))
          .toStream("book-old-1", ExpectedRevision.exactly(0)));
    }
  }

  @Test
  void anOldBookEnteredIsReadAsBookAdded() {
    try (var store = FileEventStore.open(directory)) {
      List<RecordedEvent> stored;
      try (Stream<RecordedEvent> events = store.read(Query.of(QueryItem.tags("book:old-1").withTags("category:fiction")))) {
        stored = events.toList();
      }

      assertThat(stored).extracting(RecordedEvent::type).containsExactly("BookEntered");
      assertThat(LibraryTypes.TYPES.decode(stored)).extracting(Recorded::event)
          .containsExactly(new BookAdded("old-1", "fiction", 1, "Dune"));
    }
  }

  @Test
  void oldEditionEventsAreReadAsOneEditionStartedEach() {
    try (var store = FileEventStore.open(directory)) {
      var loaded = new Commands(store).load(Editions.ENTITY, "book-old-1");
      List<RecordedEvent> stored;
      try (Stream<RecordedEvent> events = store.readStream("book-old-1", ReadOptions.forwards())) {
        stored = events.toList();
      }

      assertThat(LibraryTypes.TYPES.decode(stored)).extracting(Recorded::event).containsExactly(
          new EditionStarted("old-1", 1, null), new EditionStarted("old-1", 2, 1));
      assertThat(loaded.state().editions()).containsExactly(1, 2);
      assertThat(loaded.revision()).isEqualTo(2);
    }
  }

  @Test
  void newDecisionsBuildOnOldEvents() {
    try (var store = FileEventStore.open(directory);
        var views = Views.builder(store, new InMemoryViewStore()).add(Shelves.VIEW).start()) {
      var library = new Library(store, ModelOptions.defaults(), views.reader(Shelves.VIEW));

      var emma = library.addBook("fiction", "Emma");
      var third = library.startEdition("old-1", 1);

      assertThat(done(emma).number()).isEqualTo(2);
      assertThat(done(third)).isEqualTo(new EditionStarted("old-1", 3, 1));
      // The view reads the old BookEntered through the same upcasters as the decisions.
      long written = ((Answer.Done<EditionStarted>) third).position();
      assertThat(done(library.shelf("fiction", written)).books()).extracting(Shelves.Book::number, Shelves.Book::title)
          .containsExactly(tuple(1, "Dune"), tuple(2, "Emma"));
      assertThat(library.addCategory("fiction", "Novels")).isInstanceOf(Answer.Refused.class);
      assertThat(done(library.addCategory("poetry", "Poetry"))).isEqualTo(new CategoryAdded("poetry", "Poetry"));
    }
  }

  @Test
  void aLoneOldBaseEventIsNotMergedAcrossAppends() {
    try (var store = FileEventStore.open(directory)) {
      // A base event whose start is not the revision before it stays unmerged and, being of no
      // registered type, is skipped: the entity's editions do not change.
      store.append(AppendRequest.of(
              EventData.ofJson("EditionBaseChosen", "{\"bookId\":\"old-1\",\"edition\":9,\"baseEdition\":1}")
                  .withTags("book:old-1"))
          .toStream("book-old-1", ExpectedRevision.exactly(2)));

      var loaded = new Commands(store).load(Editions.ENTITY, "book-old-1");

      assertThat(loaded.state().editions()).containsExactly(1, 2);
      assertThat(loaded.revision()).isEqualTo(3);
    }
  }

  private static <T> T done(Answer<T> answer) {
    if (answer instanceof Answer.Done<T> done) {
      return done.value();
    }
    throw new AssertionError("expected done, got " + answer);
  }
}

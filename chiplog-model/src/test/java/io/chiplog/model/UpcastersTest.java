package io.chiplog.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.store.FileEventStore;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of upcaster on events really stored in the embedded store: old shapes are read as
 * new ones, and the stored bytes stay as they were.
 */
class UpcastersTest {
  sealed interface BookEvent permits BookAdded, AuthorSet, EditionStarted {}

  record BookAdded(String book, String title, String language) implements BookEvent {}

  record AuthorSet(String book, String author) implements BookEvent {}

  record EditionStarted(String book, int edition, String note) implements BookEvent {}

  @TempDir Path directory;
  private EventStore store;

  @BeforeEach
  void open() {
    store = FileEventStore.open(directory);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void storeRaw(String stream, String type, String json) {
    store.append(AppendRequest.of(EventData.ofJson(type, json)).toStream(stream));
  }

  private List<RecordedEvent> all() {
    try (Stream<RecordedEvent> events = store.read(Query.all(), ReadOptions.forwards())) {
      return events.toList();
    }
  }

  private static EventTypes.Builder<BookEvent> registry() {
    return EventTypes.of(BookEvent.class)
        .add("BookAdded", BookAdded.class)
        .add("AuthorSet", AuthorSet.class)
        .add("EditionStarted", EditionStarted.class);
  }

  @Test
  void renameAndAFieldWithADefaultReadOldEventsAsTheNewShape() {
    storeRaw("book-1", "BookEntered", "{\"book\":\"1\",\"title\":\"Dune\"}");
    storeRaw("book-2", "BookAdded", "{\"book\":\"2\",\"title\":\"Emma\",\"language\":\"fr\"}");
    var types = registry().upcasters(Upcasters.none()
        .rename("BookEntered", "BookAdded")
        .change("BookAdded", data -> data.has("language") ? data : data.put("language", "en")))
        .build();

    List<Recorded<BookEvent>> read = types.decode(all());

    assertThat(read).extracting(Recorded::event).containsExactly(
        new BookAdded("1", "Dune", "en"), new BookAdded("2", "Emma", "fr"));
    assertThat(all().getFirst().type()).isEqualTo("BookEntered");
    assertThat(all().getFirst().dataAsString()).isEqualTo("{\"book\":\"1\",\"title\":\"Dune\"}");
  }

  @Test
  void splitReadsOneOldEventAsSeveralAtTheSamePosition() {
    storeRaw("book-1", "BookAddedWithAuthor", "{\"book\":\"1\",\"title\":\"Dune\",\"author\":\"Herbert\"}");
    var types = registry().upcasters(Upcasters.none().split("BookAddedWithAuthor", old -> {
      ObjectNode added = ((ObjectNode) old.data()).deepCopy();
      added.remove("author");
      added.put("language", "en");
      ObjectNode author = old.data().deepCopy();
      author.remove("title");
      return List.of(old.withType("BookAdded").withData(added), old.withType("AuthorSet").withData(author));
    })).build();

    List<Recorded<BookEvent>> read = types.decode(all());

    assertThat(read).extracting(Recorded::event).containsExactly(
        new BookAdded("1", "Dune", "en"), new AuthorSet("1", "Herbert"));
    assertThat(read).extracting(Recorded::position).containsExactly(1L, 1L);
  }

  @Test
  void mergeReadsTwoConsecutiveEventsOfAStreamAsOneAndLeavesOtherStreamsAlone() {
    storeRaw("book-1", "BookEditionStarted", "{\"book\":\"1\"}");
    storeRaw("book-2", "EditionStarted", "{\"book\":\"2\",\"edition\":1,\"note\":\"plain\"}");
    storeRaw("book-1", "EditionStarted", "{\"book\":\"1\",\"edition\":2,\"note\":\"second\"}");
    storeRaw("book-3", "BookEditionStarted", "{\"book\":\"3\"}");
    var types = registry().upcasters(Upcasters.none().mergeConsecutive("BookEditionStarted", "EditionStarted",
        (first, second) -> second.withData(((ObjectNode) second.data().deepCopy()).put("note", "merged"))))
        .build();

    List<Recorded<BookEvent>> read = types.decode(all());

    // book-1's pair became one event at the second's position; book-2's stands alone; book-3's
    // lone BookEditionStarted is not a registered type, so it is not read.
    assertThat(read).extracting(Recorded::event).containsExactly(
        new EditionStarted("2", 1, "plain"), new EditionStarted("1", 2, "merged"));
    assertThat(read).extracting(Recorded::position).containsExactly(2L, 3L);

    // A merge function that hands back the first event still yields the pair's second place.
    var keepFirst = registry().upcasters(Upcasters.none().mergeConsecutive("BookEditionStarted", "EditionStarted",
        (first, second) -> first.withType("EditionStarted").withData(second.data()))).build();
    assertThat(keepFirst.decode(all())).extracting(Recorded::position).containsExactly(2L, 3L);
  }

  @Test
  void anEntityLoadsThroughItsUpcasters() {
    storeRaw("book-1", "BookEntered", "{\"book\":\"1\",\"title\":\"Dune\"}");
    var types = registry().upcasters(Upcasters.none().rename("BookEntered", "BookAdded")).build();
    var titles = Entity.<String, String, BookEvent>builder("book", types)
        .initial("")
        .evolve((state, event) -> event instanceof BookAdded added ? added.title() + "/" + added.language() : state)
        .decide((state, command, context) -> Decision.accept(List.of()))
        .stream(command -> command)
        .build();

    assertThat(new Commands(store).load(titles, "book-1").state()).isEqualTo("Dune/null");
  }
}

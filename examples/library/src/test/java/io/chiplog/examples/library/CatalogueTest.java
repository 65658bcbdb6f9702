package io.chiplog.examples.library;

import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.examples.library.LibraryEvent.BookAdded;
import io.chiplog.examples.library.LibraryEvent.CategoryAdded;
import io.chiplog.model.Outcome;
import io.chiplog.model.Recorded;
import io.chiplog.model.testing.DecisionFixture;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CatalogueTest {
  private static final CategoryAdded FICTION = new CategoryAdded("fiction", "Fiction");
  private static final CategoryAdded POETRY = new CategoryAdded("poetry", "Poetry");

  private static DecisionFixture<LibraryEvent> fixture() {
    return DecisionFixture.of(LibraryTypes.TYPES);
  }

  @Test
  void aNewCategoryIsAdded() {
    fixture()
        .given(POETRY)
        .when(context -> Catalogue.addCategory(context, "fiction", "Fiction"))
        .thenEvents(FICTION);
  }

  @Test
  void aCategoryIsAddedOnlyOnce() {
    fixture()
        .given(FICTION)
        .when(context -> Catalogue.addCategory(context, "fiction", "Novels"))
        .thenRejected("category fiction exists");
  }

  @Test
  void theFirstBookOfACategoryIsNumberOne() {
    BookAdded added = addedBook(fixture()
        .given(FICTION)
        .when(context -> Catalogue.addBook(context, "fiction", "Dune"))
        .outcome());

    assertThat(added).isEqualTo(new BookAdded(added.bookId(), "fiction", 1, "Dune"));
    assertThat(UUID.fromString(added.bookId())).isNotNull();
  }

  @Test
  void aBookTakesTheNextNumberOfItsOwnCategoryOnly() {
    BookAdded added = addedBook(fixture()
        .given(FICTION, POETRY,
            new BookAdded("b1", "fiction", 1, "Dune"),
            new BookAdded("b2", "poetry", 1, "Odes"),
            new BookAdded("b3", "fiction", 2, "Emma"),
            new BookAdded("b4", "poetry", 2, "Ariel"),
            new BookAdded("b5", "poetry", 3, "Howl"))
        .when(context -> Catalogue.addBook(context, "fiction", "Ulysses"))
        .outcome());

    assertThat(added.categoryId()).isEqualTo("fiction");
    assertThat(added.number()).isEqualTo(3);
  }

  @Test
  void aBookOfAnUnknownCategoryIsRejected() {
    fixture()
        .given(POETRY, new BookAdded("b1", "fiction", 1, "Dune"))
        .when(context -> Catalogue.addBook(context, "fiction", "Emma"))
        .thenRejected("no category fiction");
  }

  @Test
  void theBookIdComesFromTheContextSoTheDecisionIsRepeatable() {
    BookAdded first = addedBook(fixture().given(FICTION)
        .when(context -> Catalogue.addBook(context, "fiction", "Dune")).outcome());
    BookAdded second = addedBook(fixture().given(FICTION)
        .when(context -> Catalogue.addBook(context, "fiction", "Dune")).outcome());

    assertThat(second).isEqualTo(first);
  }

  @Test
  void eventsCarryTheTagsTheQueriesSelectOn() {
    assertThat(LibraryTypes.TYPES.tagsOf(new BookAdded("b1", "fiction", 1, "Dune")))
        .containsExactlyInAnyOrder("book:b1", "category:fiction");
    assertThat(LibraryTypes.TYPES.encode(new BookAdded("b1", "fiction", 1, "Dune")).dataAsString())
        .isEqualTo("{\"bookId\":\"b1\",\"categoryId\":\"fiction\",\"number\":1,\"title\":\"Dune\"}");
  }

  private static BookAdded addedBook(Outcome<LibraryEvent> outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Appended.class);
    var events = ((Outcome.Appended<LibraryEvent>) outcome).events();
    assertThat(events).hasSize(1);
    return (BookAdded) events.stream().map(Recorded::event).findFirst().orElseThrow();
  }
}

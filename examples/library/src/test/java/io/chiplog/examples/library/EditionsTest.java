package io.chiplog.examples.library;

import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.examples.library.Editions.StartEdition;
import io.chiplog.examples.library.LibraryEvent.EditionStarted;
import io.chiplog.model.testing.EntityFixture;
import org.junit.jupiter.api.Test;

class EditionsTest {
  private static EntityFixture<Editions, StartEdition, LibraryEvent> fixture() {
    return EntityFixture.of(Editions.ENTITY);
  }

  @Test
  void theFirstEditionHasNoBase() {
    fixture()
        .when(new StartEdition("b1", null))
        .thenEvents(new EditionStarted("b1", 1, null));
  }

  @Test
  void aFirstEditionCannotHaveABase() {
    fixture()
        .when(new StartEdition("b1", 1))
        .thenRejected("base edition 1 of book b1 does not exist; the book has no edition yet");
  }

  @Test
  void aNewEditionIsTheHighestPlusOne() {
    fixture()
        .given(new EditionStarted("b1", 1, null), new EditionStarted("b1", 2, 1))
        .when(new StartEdition("b1", 2))
        .thenEvents(new EditionStarted("b1", 3, 2));
  }

  @Test
  void anyExistingEditionMayBeTheBaseNotOnlyTheLast() {
    fixture()
        .given(new EditionStarted("b1", 1, null), new EditionStarted("b1", 2, 1), new EditionStarted("b1", 3, 2))
        .when(new StartEdition("b1", 1))
        .thenEvents(new EditionStarted("b1", 4, 1));
  }

  @Test
  void aBaseEditionThatDoesNotExistIsRejectedWithTheReason() {
    fixture()
        .given(new EditionStarted("b1", 1, null), new EditionStarted("b1", 2, 1))
        .when(new StartEdition("b1", 5))
        .thenRejected("base edition 5 of book b1 does not exist; its editions are [1, 2]");
  }

  @Test
  void laterEditionsMustNameTheirBase() {
    fixture()
        .given(new EditionStarted("b1", 1, null))
        .when(new StartEdition("b1", null))
        .thenRejected("name the baseEdition");
  }

  @Test
  void theStateIsTheSetOfEditionsAndFoldsDeterministically() {
    Editions state = fixture()
        .given(new EditionStarted("b1", 1, null), new EditionStarted("b1", 2, 1), new EditionStarted("b1", 3, 1))
        .state();

    assertThat(state.editions()).containsExactly(1, 2, 3);
    assertThat(state.highest()).isEqualTo(3);
  }

  @Test
  void editionsLiveInTheBooksStream() {
    assertThat(Editions.ENTITY.stream().apply(new StartEdition("b1", null))).isEqualTo("book-b1");
  }
}

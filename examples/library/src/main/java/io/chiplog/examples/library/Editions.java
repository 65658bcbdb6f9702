package io.chiplog.examples.library;

import io.chiplog.examples.library.LibraryEvent.BookAdded;
import io.chiplog.examples.library.LibraryEvent.CategoryAdded;
import io.chiplog.examples.library.LibraryEvent.EditionStarted;
import io.chiplog.model.CommandContext;
import io.chiplog.model.Decision;
import io.chiplog.model.Entity;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The editions of one book: an entity on the stream {@code book-<bookId>}, whose state is the set
 * of its editions. A new edition gets the highest number plus one and may start from any
 * existing edition, not only the last. The command is decided on the stream's state and appended
 * with the revision it read, so two editions started at once cannot take the same number.
 *
 * <p>The entity does not know whether the book exists: {@code BookAdded} is appended by a DCB
 * decision outside any stream. {@link Library#startEdition} checks that first; a book is never
 * removed, so the check cannot be invalidated by anything that happens after it.
 *
 * @param editions the book's editions, in order
 */
record Editions(SortedSet<Integer> editions) {
  static final Editions NONE = new Editions(new TreeSet<>());

  /** Copies the editions. */
  Editions {
    editions = Collections.unmodifiableSortedSet(new TreeSet<>(editions));
  }

  /**
   * Start the next edition of a book.
   *
   * @param bookId the book
   * @param baseEdition the edition it starts from; null for the first edition
   */
  record StartEdition(String bookId, @Nullable Integer baseEdition) {}

  static final Entity<Editions, StartEdition, LibraryEvent> ENTITY =
      Entity.<Editions, StartEdition, LibraryEvent>builder("editions", LibraryTypes.TYPES)
          .initial(NONE)
          .evolve(Editions::evolve)
          .decide(Editions::decide)
          .stream(command -> stream(command.bookId()))
          .build();

  /** The stream of a book's editions. */
  static String stream(String bookId) {
    return "book-" + bookId;
  }

  /** The highest edition, 0 when there is none. */
  int highest() {
    return editions.isEmpty() ? 0 : editions.last();
  }

  static Editions evolve(Editions state, LibraryEvent event) {
    return switch (event) {
      case EditionStarted started -> state.with(started.edition());
      case BookAdded book -> state;
      case CategoryAdded category -> state;
    };
  }

  static Decision<LibraryEvent> decide(Editions state, StartEdition command, CommandContext context) {
    Integer base = command.baseEdition();
    if (base == null && !state.editions.isEmpty()) {
      return Decision.reject("book " + command.bookId() + " has editions " + state.editions
          + "; name the baseEdition of the new one");
    }
    if (base != null && !state.editions.contains(base)) {
      return Decision.reject("base edition " + base + " of book " + command.bookId() + " does not exist"
          + (state.editions.isEmpty() ? "; the book has no edition yet" : "; its editions are " + state.editions));
    }
    return Decision.accept(new EditionStarted(command.bookId(), state.highest() + 1, base));
  }

  private Editions with(int edition) {
    var more = new TreeSet<>(editions);
    more.add(edition);
    return new Editions(more);
  }
}

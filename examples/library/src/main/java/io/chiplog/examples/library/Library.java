package io.chiplog.examples.library;

import static io.chiplog.examples.library.LibraryEvent.bookTag;
import static io.chiplog.examples.library.LibraryEvent.categoryTag;

import io.chiplog.api.EventStore;
import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.examples.library.Editions.StartEdition;
import io.chiplog.examples.library.LibraryEvent.BookAdded;
import io.chiplog.examples.library.LibraryEvent.CategoryAdded;
import io.chiplog.examples.library.LibraryEvent.EditionStarted;
import io.chiplog.examples.library.Shelves.Shelf;
import io.chiplog.model.Commands;
import io.chiplog.model.ModelOptions;
import io.chiplog.model.Outcome;
import io.chiplog.views.ViewReader;
import io.chiplog.views.ViewValue;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The library as a service: runs the catalogue's decisions and the editions entity through one
 * {@link Commands}, and answers the catalogue view. Thread-safe; one per store.
 *
 * <p>Decisions on a category carry the key {@code category:<id>}: with {@link
 * ModelOptions#queueByKey()} the books of one category are added one at a time in this process
 * instead of racing and retrying; the DCB condition keeps them correct either way (and across
 * processes). A command that meets a conflict on every attempt throws the {@link
 * io.chiplog.api.AppendConflictException}; nothing was appended then.
 */
final class Library {
  private final EventStore store;
  private final Commands commands;
  private final ViewReader<Shelf> shelves;

  Library(EventStore store, ModelOptions options, ViewReader<Shelf> shelves) {
    this.store = store;
    this.commands = new Commands(store, options);
    this.shelves = shelves;
  }

  /** Adds a category; refused when it exists. */
  Answer<CategoryAdded> addCategory(String categoryId, String name) {
    Outcome<LibraryEvent> outcome = commands.decide("addCategory", categoryTag(categoryId), LibraryTypes.TYPES,
        context -> Catalogue.addCategory(context, categoryId, name));
    return switch (outcome) {
      case Outcome.Appended<LibraryEvent> appended -> new Answer.Done<>((CategoryAdded) only(appended), appended.lastPosition());
      case Outcome.Rejected<LibraryEvent> rejected -> new Answer.Refused<>(rejected.reason());
    };
  }

  /** Adds a book with its category's next number; missing when the category does not exist. */
  Answer<BookAdded> addBook(String categoryId, String title) {
    Outcome<LibraryEvent> outcome = commands.decide("addBook", categoryTag(categoryId), LibraryTypes.TYPES,
        context -> Catalogue.addBook(context, categoryId, title));
    return switch (outcome) {
      case Outcome.Appended<LibraryEvent> appended -> new Answer.Done<>((BookAdded) only(appended), appended.lastPosition());
      case Outcome.Rejected<LibraryEvent> rejected -> new Answer.Missing<>(rejected.reason());
    };
  }

  /**
   * Starts the next edition of a book; missing when the book does not exist, refused when the
   * base edition does not.
   */
  Answer<EditionStarted> startEdition(String bookId, @Nullable Integer baseEdition) {
    if (!bookExists(bookId)) {
      return new Answer.Missing<>("no book " + bookId);
    }
    Outcome<LibraryEvent> outcome = commands.handle(Editions.ENTITY, new StartEdition(bookId, baseEdition));
    return switch (outcome) {
      case Outcome.Appended<LibraryEvent> appended -> new Answer.Done<>((EditionStarted) only(appended), appended.lastPosition());
      case Outcome.Rejected<LibraryEvent> rejected -> new Answer.Refused<>(rejected.reason());
    };
  }

  /**
   * The shelf of a category (its books by number) from the catalogue view, once the view has
   * applied {@code minPosition} (0: as it is now); missing when the category does not exist.
   *
   * @throws io.chiplog.views.ViewNotCaughtUpException when the view had not applied it in time
   */
  Answer<Shelf> shelf(String categoryId, long minPosition) {
    ViewValue<Shelf> read = minPosition > 0 ? shelves.read(categoryId, minPosition) : shelves.read(categoryId);
    Shelf shelf = read.value();
    return shelf == null ? new Answer.Missing<>("no category " + categoryId) : new Answer.Done<>(shelf, read.position());
  }

  private boolean bookExists(String bookId) {
    var query = Query.of(QueryItem.types(LibraryTypes.BOOK_TYPES).withTags(bookTag(bookId)));
    try (Stream<RecordedEvent> events = store.read(query, ReadOptions.forwards().limit(1))) {
      return events.findAny().isPresent();
    }
  }

  private static LibraryEvent only(Outcome.Appended<LibraryEvent> appended) {
    if (appended.events().size() != 1) {
      throw new IllegalStateException("expected one event, the decision appended " + appended.events());
    }
    return appended.events().getFirst().event();
  }
}

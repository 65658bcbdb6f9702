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
import io.chiplog.model.Commands;
import io.chiplog.model.ModelOptions;
import io.chiplog.model.Outcome;
import io.chiplog.model.Recorded;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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

  Library(EventStore store, ModelOptions options) {
    this.store = store;
    this.commands = new Commands(store, options);
  }

  /** Adds a category; refused when it exists. */
  Answer<CategoryAdded> addCategory(String categoryId, String name) {
    Outcome<LibraryEvent> outcome = commands.decide("addCategory", categoryTag(categoryId), LibraryTypes.TYPES,
        context -> Catalogue.addCategory(context, categoryId, name));
    return switch (outcome) {
      case Outcome.Appended<LibraryEvent> appended -> new Answer.Done<>((CategoryAdded) only(appended));
      case Outcome.Rejected<LibraryEvent> rejected -> new Answer.Refused<>(rejected.reason());
    };
  }

  /** Adds a book with its category's next number; missing when the category does not exist. */
  Answer<BookAdded> addBook(String categoryId, String title) {
    Outcome<LibraryEvent> outcome = commands.decide("addBook", categoryTag(categoryId), LibraryTypes.TYPES,
        context -> Catalogue.addBook(context, categoryId, title));
    return switch (outcome) {
      case Outcome.Appended<LibraryEvent> appended -> new Answer.Done<>((BookAdded) only(appended));
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
      case Outcome.Appended<LibraryEvent> appended -> new Answer.Done<>((EditionStarted) only(appended));
      case Outcome.Rejected<LibraryEvent> rejected -> new Answer.Refused<>(rejected.reason());
    };
  }

  /** The books of a category by number; missing when the category does not exist. */
  Answer<List<BookAdded>> booksIn(String categoryId) {
    var query = Query.of(
        QueryItem.types("CategoryAdded").withTags(categoryTag(categoryId)),
        QueryItem.types(LibraryTypes.BOOK_TYPES).withTags(categoryTag(categoryId)));
    List<RecordedEvent> stored;
    try (Stream<RecordedEvent> events = store.read(query, ReadOptions.forwards())) {
      stored = events.toList();
    }
    boolean exists = false;
    var books = new ArrayList<BookAdded>();
    for (Recorded<LibraryEvent> recorded : LibraryTypes.TYPES.decode(stored)) {
      switch (recorded.event()) {
        case CategoryAdded category -> exists = true;
        case BookAdded book -> books.add(book);
        case EditionStarted edition -> { }
      }
    }
    if (!exists) {
      return new Answer.Missing<>("no category " + categoryId);
    }
    books.sort(Comparator.comparingInt(BookAdded::number));
    return new Answer.Done<>(List.copyOf(books));
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

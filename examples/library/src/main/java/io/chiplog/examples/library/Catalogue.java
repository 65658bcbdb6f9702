package io.chiplog.examples.library;

import static io.chiplog.examples.library.LibraryEvent.categoryTag;

import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.examples.library.LibraryEvent.BookAdded;
import io.chiplog.examples.library.LibraryEvent.CategoryAdded;
import io.chiplog.examples.library.LibraryEvent.EditionStarted;
import io.chiplog.model.Decision;
import io.chiplog.model.DecisionContext;
import io.chiplog.model.Projection;
import java.util.List;

/**
 * The catalogue's DCB decisions, each built from small projections. A decision's consistency
 * boundary is the union of the queries of the projections it reads: its events are appended only
 * if no event matching them has appeared since it read, otherwise it is decided again. So two
 * books added to one category at once cannot both take number 7, and a book added to another
 * category does not disturb either. Pure functions of what they read; thread-safe.
 */
final class Catalogue {
  private Catalogue() {}

  /** Whether the category exists: its {@code CategoryAdded}. */
  static Projection<Boolean, LibraryEvent> categoryExists(String categoryId) {
    return Projection.of("categoryExists",
        Query.of(QueryItem.types("CategoryAdded").withTags(categoryTag(categoryId))),
        false, (exists, event) -> true);
  }

  /**
   * The number the next book of the category gets: one more than the highest so far. Its query
   * names the old type of a new book too, so books stored by version 0 keep their numbers.
   */
  static Projection<Integer, LibraryEvent> nextNumber(String categoryId) {
    return Projection.of("nextNumber",
        Query.of(QueryItem.types(LibraryTypes.BOOK_TYPES).withTags(categoryTag(categoryId))),
        1, (next, event) -> switch (event) {
          case BookAdded book -> Math.max(next, book.number() + 1);
          case CategoryAdded category -> next;
          case EditionStarted edition -> next;
        });
  }

  /** Adds the category, unless it exists. */
  static Decision<LibraryEvent> addCategory(DecisionContext<LibraryEvent> context, String categoryId, String name) {
    if (context.read(categoryExists(categoryId))) {
      return Decision.reject("category " + categoryId + " exists");
    }
    return Decision.accept(new CategoryAdded(categoryId, name));
  }

  /**
   * Adds a book to the category with the category's next number, unless the category does not
   * exist. Both facts come from one read, so the boundary covers both.
   */
  static Decision<LibraryEvent> addBook(DecisionContext<LibraryEvent> context, String categoryId, String title) {
    var exists = categoryExists(categoryId);
    var next = nextNumber(categoryId);
    var states = context.readAll(List.of(exists, next));
    if (!states.get(exists)) {
      return Decision.reject("no category " + categoryId);
    }
    return Decision.accept(new BookAdded(context.newId().toString(), categoryId, states.get(next), title));
  }
}

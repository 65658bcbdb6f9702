package io.chiplog.examples.library;

import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.examples.library.LibraryEvent.BookAdded;
import io.chiplog.examples.library.LibraryEvent.CategoryAdded;
import io.chiplog.examples.library.LibraryEvent.EditionStarted;
import io.chiplog.views.KeyValueView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The catalogue's read side: a view keeping, per category, its name and its books by number, so
 * that {@code GET /library/categories/{id}/books} is one lookup instead of a read of the
 * category's history.
 */
final class Shelves {
  private Shelves() {}

  /**
   * A category's shelf.
   *
   * @param categoryId the category
   * @param name its name
   * @param books its books by number
   */
  record Shelf(String categoryId, String name, List<Book> books) {
    /** Copies the list. */
    Shelf {
      books = List.copyOf(books);
    }

    Shelf with(Book book) {
      var more = new ArrayList<>(books);
      more.add(book);
      more.sort(Comparator.comparingInt(Book::number));
      return new Shelf(categoryId, name, more);
    }
  }

  /**
   * A book on a shelf.
   *
   * @param number its number in the category
   * @param bookId its id
   * @param title its title
   */
  record Book(int number, String bookId, String title) {}

  /** Version 1: categories and their books; the old {@code BookEntered} is read as a book too. */
  static final KeyValueView<LibraryEvent, Shelf> VIEW = KeyValueView.builder("shelves", LibraryTypes.TYPES, Shelf.class)
      .version(1)
      .query(Query.of(QueryItem.types("CategoryAdded"), QueryItem.types(LibraryTypes.BOOK_TYPES)))
      .apply((recorded, changes) -> {
        switch (recorded.event()) {
          case CategoryAdded added -> changes.put(added.categoryId(), new Shelf(added.categoryId(), added.name(), List.of()));
          case BookAdded added -> {
            Shelf shelf = changes.get(added.categoryId());
            if (shelf == null) {
              // The decision only adds books to existing categories; a book without one is a bug upstream.
              throw new IllegalStateException("book " + added.bookId() + " is in the unknown category " + added.categoryId());
            }
            changes.put(added.categoryId(), shelf.with(new Book(added.number(), added.bookId(), added.title())));
          }
          case EditionStarted edition -> { }
        }
      })
      .build();
}

package io.chiplog.examples.library;

import io.chiplog.model.Tagged;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The events of the library. Each names its own tags ({@link Tagged}), which the DCB queries
 * select on: {@code category:<id>} and {@code book:<id>}.
 */
public sealed interface LibraryEvent extends Tagged {

  /** The tag of a category's events. */
  static String categoryTag(String categoryId) {
    return "category:" + categoryId;
  }

  /** The tag of a book's events. */
  static String bookTag(String bookId) {
    return "book:" + bookId;
  }

  /**
   * A category was added.
   *
   * @param categoryId its id, unique
   * @param name its display name
   */
  record CategoryAdded(String categoryId, String name) implements LibraryEvent {
    /** Checks the values. */
    public CategoryAdded {
      requireText(categoryId, "categoryId");
      requireText(name, "name");
    }

    @Override
    public Set<String> tags() {
      return Set.of(categoryTag(categoryId));
    }
  }

  /**
   * A book was added to a category, with the next number of that category.
   *
   * @param bookId its id
   * @param categoryId its category
   * @param number its number in the category: 1, 2, 3, … without gaps
   * @param title its title
   */
  record BookAdded(String bookId, String categoryId, int number, String title) implements LibraryEvent {
    /** Checks the values. */
    public BookAdded {
      requireText(bookId, "bookId");
      requireText(categoryId, "categoryId");
      requireText(title, "title");
      if (number < 1) {
        throw new IllegalArgumentException("number must be at least 1, was " + number);
      }
    }

    @Override
    public Set<String> tags() {
      return Set.of(bookTag(bookId), categoryTag(categoryId));
    }
  }

  /**
   * A new edition of a book was started, possibly based on an earlier one.
   *
   * @param bookId the book
   * @param edition its number: the book's highest edition plus one
   * @param baseEdition the edition it starts from, or null for the first one
   */
  record EditionStarted(String bookId, int edition, @Nullable Integer baseEdition) implements LibraryEvent {
    /** Checks the values. */
    public EditionStarted {
      requireText(bookId, "bookId");
      if (edition < 1) {
        throw new IllegalArgumentException("edition must be at least 1, was " + edition);
      }
      if (baseEdition != null && (baseEdition < 1 || baseEdition >= edition)) {
        throw new IllegalArgumentException(
            "baseEdition must be an earlier edition than " + edition + ", was " + baseEdition);
      }
    }

    @Override
    public Set<String> tags() {
      return Set.of(bookTag(bookId));
    }
  }

  private static void requireText(@Nullable String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}

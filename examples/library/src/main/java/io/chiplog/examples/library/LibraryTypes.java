package io.chiplog.examples.library;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chiplog.examples.library.LibraryEvent.BookAdded;
import io.chiplog.examples.library.LibraryEvent.CategoryAdded;
import io.chiplog.examples.library.LibraryEvent.EditionStarted;
import io.chiplog.model.EventTypes;
import io.chiplog.model.StoredEvent;
import io.chiplog.model.Upcasters;

/**
 * The library's event registry: the stored type names, and the upcasters that read what the
 * first version of the library stored.
 *
 * <p>Version 0 of the library (still in old stores) differed in two ways:
 *
 * <ul>
 *   <li>it called a new book {@code BookEntered}, with the field {@code category} instead of
 *       {@code categoryId}: read as {@code BookAdded} (rename, then a field renamed);
 *   <li>it recorded a new edition as two events in the book's stream: {@code BookEditionStarted
 *       {bookId, edition}} and, when it had a base, right after it {@code EditionBaseChosen
 *       {bookId, edition, baseEdition}}: the pair is read as one {@code EditionStarted} (N → 1),
 *       a lone {@code BookEditionStarted} as an {@code EditionStarted} without a base.
 * </ul>
 *
 * The stored events are never rewritten. Queries select stored events by their stored type, so
 * a query for books names both {@code BookAdded} and {@code BookEntered} ({@link #BOOK_TYPES}).
 */
final class LibraryTypes {
  /** The stored type names of a new book, current and old. */
  static final String[] BOOK_TYPES = {"BookAdded", "BookEntered"};

  static final Upcasters UPCASTERS = Upcasters.none()
      .rename("BookEntered", "BookAdded")
      .change("BookAdded", LibraryTypes::categoryToCategoryId)
      .mergeConsecutive("BookEditionStarted", "EditionBaseChosen", LibraryTypes::mergeEdition)
      .rename("BookEditionStarted", "EditionStarted");

  static final EventTypes<LibraryEvent> TYPES = EventTypes.of(LibraryEvent.class)
      .add("CategoryAdded", CategoryAdded.class)
      .add("BookAdded", BookAdded.class)
      .add("EditionStarted", EditionStarted.class)
      .upcasters(UPCASTERS)
      .build();

  private LibraryTypes() {}

  private static ObjectNode categoryToCategoryId(ObjectNode data) {
    if (!data.has("categoryId") && data.has("category")) {
      data.set("categoryId", data.remove("category"));
    }
    return data;
  }

  /** {@code BookEditionStarted} + {@code EditionBaseChosen} → {@code EditionStarted}, at the second's place. */
  private static StoredEvent mergeEdition(StoredEvent started, StoredEvent base) {
    if (!(started.data() instanceof ObjectNode startedData)) {
      return base;
    }
    ObjectNode data = startedData.deepCopy();
    data.set("baseEdition", base.data().get("baseEdition"));
    return base.withType("EditionStarted").withData(data);
  }
}

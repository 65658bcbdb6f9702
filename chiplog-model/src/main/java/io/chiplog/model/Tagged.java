package io.chiplog.model;

import java.util.Set;

/**
 * An event that names its own tags, so that no call site writes tag strings by hand:
 *
 * <pre>{@code
 * record BookAdded(String bookId, String categoryId, int number, String title)
 *     implements LibraryEvent, Tagged {
 *   public Set<String> tags() {
 *     return Set.of("book:" + bookId, "category:" + categoryId);
 *   }
 * }
 * }</pre>
 *
 * {@link EventTypes.Builder#add(String, Class, java.util.function.Function)} is the other way,
 * for events that should not know about tags.
 */
public interface Tagged {

  /** This event's tags, {@code key:value} by convention. */
  Set<String> tags();
}

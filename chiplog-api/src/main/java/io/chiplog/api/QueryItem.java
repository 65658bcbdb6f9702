package io.chiplog.api;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * One item of a {@link Query}: an event matches it when its type is one of {@code types} (or
 * {@code types} is empty) and it carries every tag in {@code tags}.
 *
 * <pre>{@code
 * QueryItem.types("BookAdded").withTags("category:fiction")
 * }</pre>
 *
 * @param types the accepted event types; empty accepts every type
 * @param tags the tags an event must all carry; empty requires none
 * @throws InvalidEventException when a type or tag breaks the naming rules
 */
public record QueryItem(Set<String> types, Set<String> tags) {

  /** Validates and copies into sorted sets. */
  public QueryItem {
    types = NamingRules.checkTypes(types, "types");
    tags = NamingRules.checkTags(tags, "tags", Integer.MAX_VALUE);
  }

  /** An item matching events of any of these types. */
  public static QueryItem types(String... types) {
    return new QueryItem(new HashSet<>(Arrays.asList(types)), Set.of());
  }

  /** An item matching events that carry all of these tags. */
  public static QueryItem tags(String... tags) {
    return new QueryItem(Set.of(), new HashSet<>(Arrays.asList(tags)));
  }

  /** An item matching any of {@code types} that carry all of {@code tags}. */
  public static QueryItem of(Collection<String> types, Collection<String> tags) {
    return new QueryItem(new HashSet<>(types), new HashSet<>(tags));
  }

  /** This item, also requiring these tags. */
  public QueryItem withTags(String... moreTags) {
    var all = new HashSet<>(tags);
    all.addAll(Arrays.asList(moreTags));
    return new QueryItem(types, all);
  }

  /** Whether an event of {@code type} with {@code eventTags} matches this item. */
  public boolean matches(String type, Set<String> eventTags) {
    return (types.isEmpty() || types.contains(type)) && eventTags.containsAll(tags);
  }

  @Override
  public String toString() {
    return "{types=" + types + ", tags=" + tags + "}";
  }
}

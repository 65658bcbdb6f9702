package io.chiplog.api;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The syntax rules of DESIGN §3 for event types, tags and stream names, in one place so that
 * every value and every backend applies the same ones. Each check returns its argument or throws
 * {@link InvalidEventException} naming the field.
 */
public final class NamingRules {
  /** Longest event type, in characters. */
  public static final int TYPE_LENGTH_MAX = 256;

  /** Longest tag, in characters. */
  public static final int TAG_LENGTH_MAX = 256;

  /** Most tags on one event. */
  public static final int TAGS_PER_EVENT_MAX = 64;

  /** Longest stream name, in characters. */
  public static final int STREAM_LENGTH_MAX = 256;

  private NamingRules() {}

  /**
   * Checks an event type: 1 to 256 characters of {@code [A-Za-z0-9._:/-]}.
   *
   * @throws InvalidEventException naming {@code field}
   */
  public static String checkType(@Nullable String type, String field) {
    if (type == null) {
      throw new InvalidEventException(field, "must not be null");
    }
    if (type.isEmpty() || type.length() > TYPE_LENGTH_MAX) {
      throw new InvalidEventException(
          field, "must be 1 to " + TYPE_LENGTH_MAX + " characters, was " + type.length());
    }
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      if (!isTypeChar(c)) {
        throw new InvalidEventException(
            field,
            "must contain only [A-Za-z0-9._:/-], found '" + printable(c) + "' at index " + i
                + " in \"" + type + "\"");
      }
    }
    return type;
  }

  /**
   * Checks a tag: 1 to 256 characters, no control characters.
   *
   * @throws InvalidEventException naming {@code field}
   */
  public static String checkTag(@Nullable String tag, String field) {
    if (tag == null) {
      throw new InvalidEventException(field, "must not be null");
    }
    if (tag.isEmpty() || tag.length() > TAG_LENGTH_MAX) {
      throw new InvalidEventException(
          field, "must be 1 to " + TAG_LENGTH_MAX + " characters, was " + tag.length());
    }
    for (int i = 0; i < tag.length(); i++) {
      if (Character.isISOControl(tag.charAt(i))) {
        throw new InvalidEventException(
            field, "must not contain control characters, found one at index " + i);
      }
    }
    return tag;
  }

  /**
   * Checks a stream name: 1 to 256 characters of {@code [A-Za-z0-9._:@-]}, and not {@code .} or
   * {@code ..}, so that it can stand in a URL path and a file name as it is.
   *
   * @throws InvalidEventException naming {@code field}
   */
  public static String checkStream(@Nullable String stream, String field) {
    if (stream == null) {
      throw new InvalidEventException(field, "must not be null");
    }
    if (stream.isEmpty() || stream.length() > STREAM_LENGTH_MAX) {
      throw new InvalidEventException(
          field, "must be 1 to " + STREAM_LENGTH_MAX + " characters, was " + stream.length());
    }
    if (stream.equals(".") || stream.equals("..")) {
      // A URL path normalizes them away: GET /v1/streams/.. would name another resource.
      throw new InvalidEventException(field, "must not be \".\" or \"..\"");
    }
    for (int i = 0; i < stream.length(); i++) {
      char c = stream.charAt(i);
      if (!isStreamChar(c)) {
        throw new InvalidEventException(
            field,
            "must contain only [A-Za-z0-9._:@-], found '" + printable(c) + "' at index " + i
                + " in \"" + stream + "\"");
      }
    }
    return stream;
  }

  /**
   * Checks each tag and returns them as an immutable set in sorted (canonical) order, backed by
   * an array: cheap to iterate, which the write path does several times per event.
   */
  static Set<String> checkTags(@Nullable Collection<String> tags, String field, int max) {
    if (tags == null) {
      throw new InvalidEventException(field, "must not be null");
    }
    if (tags.size() > max) {
      throw new InvalidEventException(field, "at most " + max + " allowed, got " + tags.size());
    }
    if (tags instanceof SortedTags already) {
      // Validated and sorted when it was made; immutable.
      return already;
    }
    var sorted = new TreeSet<String>();
    int i = 0;
    for (String tag : tags) {
      sorted.add(checkTag(tag, field + "[" + i++ + "]"));
    }
    return sorted.isEmpty() ? Set.of() : new SortedTags(sorted.toArray(String[]::new));
  }

  /**
   * For backends reading tags back from storage, where they were validated and sorted when
   * written: wraps them without checking again. The array must be sorted ({@link String}'s
   * natural order), without duplicates, and not changed afterwards.
   */
  public static Set<String> sortedTagsFromStorage(String[] sortedTags) {
    return sortedTags.length == 0 ? Set.of() : new SortedTags(sortedTags);
  }

  /** Checks each type and returns them as an immutable set in sorted (canonical) order. */
  static Set<String> checkTypes(@Nullable Collection<String> types, String field) {
    if (types == null) {
      throw new InvalidEventException(field, "must not be null");
    }
    var sorted = new TreeSet<String>();
    int i = 0;
    for (String type : types) {
      sorted.add(checkType(type, field + "[" + i++ + "]"));
    }
    return sorted.isEmpty() ? Set.of() : new SortedTags(sorted.toArray(String[]::new));
  }

  private static boolean isTypeChar(char c) {
    return isAsciiAlphanumeric(c) || c == '.' || c == '_' || c == ':' || c == '/' || c == '-';
  }

  private static boolean isStreamChar(char c) {
    return isAsciiAlphanumeric(c) || c == '.' || c == '_' || c == ':' || c == '@' || c == '-';
  }

  private static boolean isAsciiAlphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static String printable(char c) {
    return Character.isISOControl(c) || Character.isWhitespace(c)
        ? String.format("\\u%04x", (int) c)
        : String.valueOf(c);
  }
}

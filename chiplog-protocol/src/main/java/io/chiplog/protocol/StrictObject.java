package io.chiplog.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A JSON object read field by field with the rules of HTTP API v1: only the named fields are
 * allowed, every type is checked, and every problem names its path ({@code events[2].tags[0]}).
 * A field that is present with the value {@code null} counts as absent.
 */
public final class StrictObject {
  private final JsonNode node;
  private final String path;

  private StrictObject(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /**
   * Reads {@code node} as an object whose fields are all in {@code allowed}.
   *
   * @param path where the object is, {@code ""} for the body itself
   * @throws MalformedRequestException when it is not an object or has another field
   */
  public static StrictObject of(JsonNode node, String path, Set<String> allowed) {
    if (!node.isObject()) {
      throw new MalformedRequestException(path, "must be a JSON object, was " + describe(node));
    }
    for (var names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new MalformedRequestException(
            child(path, name), "is not a known field; known fields are " + sorted(allowed));
      }
    }
    return new StrictObject(node, path);
  }

  /** Whether {@code name} is present and not null. */
  public boolean has(String name) {
    JsonNode value = node.get(name);
    return value != null && !value.isNull();
  }

  /** The raw value of {@code name}, or null when absent. */
  public @Nullable JsonNode get(String name) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? null : value;
  }

  /** The path of field {@code name}, for error messages. */
  public String pathOf(String name) {
    return child(path, name);
  }

  /** A string field, or null when absent. */
  public @Nullable String string(String name) {
    JsonNode value = get(name);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw new MalformedRequestException(pathOf(name), "must be a string, was " + describe(value));
    }
    return value.textValue();
  }

  /** A string field that must be present. */
  public String requiredString(String name) {
    String value = string(name);
    if (value == null) {
      throw new MalformedRequestException(pathOf(name), "is required");
    }
    return value;
  }

  /** A boolean field, or {@code otherwise} when absent. */
  public boolean bool(String name, boolean otherwise) {
    JsonNode value = get(name);
    if (value == null) {
      return otherwise;
    }
    if (!value.isBoolean()) {
      throw new MalformedRequestException(pathOf(name), "must be true or false, was " + describe(value));
    }
    return value.booleanValue();
  }

  /** A whole number of at least 0, or {@code otherwise} when absent. */
  public long nonNegativeLong(String name, long otherwise) {
    JsonNode value = get(name);
    return value == null ? otherwise : nonNegativeLong(value, pathOf(name));
  }

  /** An array of strings, or an empty list when absent. */
  public List<String> strings(String name) {
    JsonNode value = get(name);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new MalformedRequestException(
          pathOf(name), "must be an array of strings, was " + describe(value));
    }
    var result = new ArrayList<String>(value.size());
    for (int i = 0; i < value.size(); i++) {
      JsonNode element = value.get(i);
      if (!element.isTextual()) {
        throw new MalformedRequestException(
            pathOf(name) + "[" + i + "]", "must be a string, was " + describe(element));
      }
      result.add(element.textValue());
    }
    return result;
  }

  /** {@code value} as a whole number of at least 0. */
  static long nonNegativeLong(JsonNode value, String path) {
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new MalformedRequestException(path, "must be a whole number, was " + describe(value));
    }
    long number = value.longValue();
    if (number < 0) {
      throw new MalformedRequestException(path, "must be 0 or more, was " + number);
    }
    return number;
  }

  static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  static String describe(JsonNode value) {
    String text = value.toString();
    return text.length() > 40 ? text.substring(0, 37) + "..." : text;
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }
}

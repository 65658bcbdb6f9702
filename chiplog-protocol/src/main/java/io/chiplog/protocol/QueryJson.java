package io.chiplog.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.api.InvalidEventException;
import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Set;

/** A {@link Query} on the wire: {@code {"items":[{"types":[...],"tags":[...]}]}}. */
public final class QueryJson {
  private static final Set<String> QUERY_FIELDS = Set.of("items");
  private static final Set<String> ITEM_FIELDS = Set.of("types", "tags");

  private QueryJson() {}

  /**
   * Reads a query at {@code path}.
   *
   * @throws MalformedRequestException when it does not follow the shape or the naming rules
   */
  public static Query read(JsonNode node, String path) {
    StrictObject query = StrictObject.of(node, path, QUERY_FIELDS);
    JsonNode items = query.get("items");
    if (items == null) {
      return Query.all();
    }
    if (!items.isArray()) {
      throw new MalformedRequestException(
          query.pathOf("items"), "must be an array, was " + StrictObject.describe(items));
    }
    var result = new ArrayList<QueryItem>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String itemPath = query.pathOf("items") + "[" + i + "]";
      StrictObject item = StrictObject.of(items.get(i), itemPath, ITEM_FIELDS);
      try {
        result.add(QueryItem.of(item.strings("types"), item.strings("tags")));
      } catch (InvalidEventException e) {
        throw new MalformedRequestException(StrictObject.child(itemPath, e.field()), e.problem());
      }
    }
    return new Query(result);
  }

  /** Writes {@code query} as an object. */
  public static void write(JsonGenerator out, Query query) throws IOException {
    out.writeStartObject();
    out.writeArrayFieldStart("items");
    for (QueryItem item : query.items()) {
      out.writeStartObject();
      writeStrings(out, "types", item.types());
      writeStrings(out, "tags", item.tags());
      out.writeEndObject();
    }
    out.writeEndArray();
    out.writeEndObject();
  }

  static void writeStrings(JsonGenerator out, String name, Iterable<String> values)
      throws IOException {
    out.writeArrayFieldStart(name);
    for (String value : values) {
      out.writeString(value);
    }
    out.writeEndArray();
  }
}

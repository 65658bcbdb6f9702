package io.chiplog.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.api.Direction;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads and subscriptions on the wire: the bodies of {@code POST /v1/read} ({@code {"query"?,
 * "from"?, "limit"?, "backwards"?}}) and {@code POST /v1/subscribe} ({@code {"query"?,
 * "from"?}}), and the query-string parameters of the {@code GET} forms.
 */
public final class ReadJson {
  private static final Set<String> READ_FIELDS = Set.of("query", "from", "limit", "backwards");
  private static final Set<String> SUBSCRIBE_FIELDS = Set.of("query", "from");

  private ReadJson() {}

  /** A read: which events, from where, how many, which way. */
  public record ReadRequest(Query query, ReadOptions options) {}

  /** A subscription: which events, from which position (inclusive). */
  public record SubscribeRequest(Query query, long from) {}

  /**
   * Reads a {@code POST /v1/read} body; an absent body field takes the default (everything,
   * from the start forwards or from the end backwards, no limit).
   */
  public static ReadRequest readReadRequest(JsonNode node) {
    StrictObject body = StrictObject.of(node, "", READ_FIELDS);
    Query query = query(body);
    boolean backwards = body.bool("backwards", false);
    ReadOptions options = backwards ? ReadOptions.backwards() : ReadOptions.forwards();
    options = options.from(body.nonNegativeLong("from", options.from()));
    long limit = body.nonNegativeLong("limit", ReadOptions.NO_LIMIT);
    return new ReadRequest(query, options.limit((int) Math.min(limit, ReadOptions.NO_LIMIT)));
  }

  /** Writes a {@code POST /v1/read} body. */
  public static void writeReadRequest(JsonGenerator out, Query query, ReadOptions options)
      throws IOException {
    out.writeStartObject();
    out.writeFieldName("query");
    QueryJson.write(out, query);
    out.writeNumberField("from", options.from());
    if (options.limit() != ReadOptions.NO_LIMIT) {
      out.writeNumberField("limit", options.limit());
    }
    out.writeBooleanField("backwards", options.direction() == Direction.BACKWARDS);
    out.writeEndObject();
  }

  /** Reads a {@code POST /v1/subscribe} body. */
  public static SubscribeRequest readSubscribeRequest(JsonNode node) {
    StrictObject body = StrictObject.of(node, "", SUBSCRIBE_FIELDS);
    return new SubscribeRequest(query(body), body.nonNegativeLong("from", 0));
  }

  /** Writes a {@code POST /v1/subscribe} body. */
  public static void writeSubscribeRequest(JsonGenerator out, Query query, long from)
      throws IOException {
    out.writeStartObject();
    out.writeFieldName("query");
    QueryJson.write(out, query);
    out.writeNumberField("from", from);
    out.writeEndObject();
  }

  /**
   * A query-string number of at least 0, or {@code otherwise} when the parameter is absent.
   *
   * @throws MalformedRequestException when it is not a whole number of at least 0
   */
  public static long nonNegativeParameter(String name, @Nullable String value, long otherwise) {
    if (value == null) {
      return otherwise;
    }
    try {
      long number = Long.parseLong(value);
      if (number >= 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new MalformedRequestException(name, "must be a whole number of 0 or more, was '" + value + "'");
  }

  /** A query-string boolean ({@code true} or {@code false}), or {@code otherwise} when absent. */
  public static boolean booleanParameter(String name, @Nullable String value, boolean otherwise) {
    if (value == null) {
      return otherwise;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1", "" -> true;
      case "false", "0" -> false;
      default -> throw new MalformedRequestException(name, "must be true or false, was '" + value + "'");
    };
  }

  private static Query query(StrictObject body) {
    JsonNode query = body.get("query");
    return query == null ? Query.all() : QueryJson.read(query, "query");
  }
}

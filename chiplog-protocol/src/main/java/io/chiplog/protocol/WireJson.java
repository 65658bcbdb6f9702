package io.chiplog.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * The one Jackson configuration of the wire format, and its media types.
 *
 * <p>Parsing is strict: duplicate fields and trailing tokens are errors, and decimals keep
 * their exact value (user data passes through, so it must not be rounded). Strings may be as
 * long as a body the server accepts; the server bounds bodies before they reach Jackson.
 */
public final class WireJson {
  /** {@code application/json}. */
  public static final String JSON = "application/json";

  /** {@code application/x-ndjson}: one JSON value per line. */
  public static final String NDJSON = "application/x-ndjson";

  /** {@code text/event-stream}: server-sent events. */
  public static final String EVENT_STREAM = "text/event-stream";

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxStringLength(Integer.MAX_VALUE)
                          .maxNestingDepth(500)
                          .build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // 1.50 stays 1.50: user data is not ours to normalize.
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private WireJson() {}

  /** The shared mapper; thread-safe. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Parses one JSON document.
   *
   * @throws MalformedRequestException when {@code bytes} are not exactly one JSON value
   */
  public static JsonNode parse(byte[] bytes) {
    if (bytes.length == 0) {
      throw new MalformedRequestException("", "the body is empty; a JSON object is required");
    }
    try {
      return MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new MalformedRequestException("", "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses {@code bytes} as JSON, or answers null when they are not one JSON value. */
  public static @Nullable JsonNode parseOrNull(byte[] bytes) {
    if (bytes.length == 0) {
      return null;
    }
    try {
      JsonNode node = MAPPER.readTree(bytes);
      return node == null || node.isMissingNode() ? null : node;
    } catch (IOException e) {
      return null;
    }
  }

  /** {@code node} as compact UTF-8 JSON. */
  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /**
   * A generator writing UTF-8 to {@code out}, with nothing between top-level documents. It does
   * not close {@code out} when closed, so one response can hold many documents.
   */
  public static JsonGenerator generator(OutputStream out) {
    try {
      JsonGenerator generator = MAPPER.createGenerator(out);
      generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      // NDJSON writes its own line breaks between documents; Jackson's default space would
      // start every line after the first with a blank.
      generator.setRootValueSeparator(null);
      return generator;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

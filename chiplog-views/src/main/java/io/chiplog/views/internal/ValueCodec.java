package io.chiplog.views.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A key-value view's values as JSON bytes, with the model's mapper.
 *
 * @param <V> the value type
 */
public final class ValueCodec<V> {
  private final ObjectReader reader;
  private final ObjectWriter writer;
  private final Class<V> type;

  /** Encodes and decodes {@code type} with {@code mapper}. */
  public ValueCodec(ObjectMapper mapper, Class<V> type) {
    this.reader = mapper.readerFor(type);
    this.writer = mapper.writerFor(type);
    this.type = type;
  }

  /** The bytes of {@code value}. */
  public byte[] encode(V value) {
    try {
      return writer.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a " + type.getName() + ": " + e.getMessage(), e);
    }
  }

  /** The value of {@code bytes}. */
  public V decode(byte[] bytes) {
    try {
      return reader.readValue(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode a " + type.getName() + " (was its shape changed without a new view version?): " + e.getMessage(), e);
    }
  }
}

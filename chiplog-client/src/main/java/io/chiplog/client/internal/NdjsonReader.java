package io.chiplog.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.protocol.WireJson;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads NDJSON from a stream, one JSON document per line. Every line the server writes ends with
 * a line break, so the body may end only right after one: a body that ends in the middle of a
 * line was cut short and fails with {@link EOFException}, never with a silently dropped event.
 * Empty lines are skipped. Not thread-safe: it belongs to the thread that reads the answer.
 */
public final class NdjsonReader implements Closeable {
  private static final int CHUNK_BYTES = 64 * 1024;

  private final InputStream in;
  private final byte[] chunk = new byte[CHUNK_BYTES];
  private int chunkStart;
  private int chunkEnd;
  private final int lineMaxBytes;
  private byte[] line = new byte[8 * 1024];

  /**
   * Reads from {@code in}, which {@link #close()} closes, lines of at most {@code lineMaxBytes}:
   * a longer one fails rather than growing the buffer without bound.
   */
  public NdjsonReader(InputStream in, int lineMaxBytes) {
    this.in = in;
    this.lineMaxBytes = lineMaxBytes;
  }

  /**
   * The next document, or null at the end of the body.
   *
   * @throws EOFException when the body ends in the middle of a line
   * @throws IOException when reading fails or a line is not JSON
   */
  public @Nullable JsonNode next() throws IOException {
    int length = 0;
    while (true) {
      if (chunkStart == chunkEnd) {
        int read = in.read(chunk);
        if (read < 0) {
          if (length == 0) {
            return null;
          }
          throw new EOFException(
              "the answer ended in the middle of a line, after " + length + " bytes of it");
        }
        chunkStart = 0;
        chunkEnd = read;
      }
      int newline = indexOfNewline(chunk, chunkStart, chunkEnd);
      int end = newline < 0 ? chunkEnd : newline;
      length = appendToLine(length, chunkStart, end - chunkStart);
      chunkStart = newline < 0 ? chunkEnd : newline + 1;
      if (newline >= 0 && length > 0) {
        return WireJson.mapper().readTree(line, 0, length);
      }
    }
  }

  private int appendToLine(int length, int from, int count) throws IOException {
    if (length + count > lineMaxBytes) {
      throw new LineTooLongException(
          "an answer line is longer than " + lineMaxBytes + " bytes, more than one event within the"
              + " client's limits can take (ClientOptions.limits must match the server's)");
    }
    if (length + count > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
    }
    System.arraycopy(chunk, from, line, length, count);
    return length + count;
  }

  private static int indexOfNewline(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** A line longer than the limit: the answer is not one this client can read. */
  public static final class LineTooLongException extends IOException {
    private static final long serialVersionUID = 1L;

    LineTooLongException(String message) {
      super(message);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}

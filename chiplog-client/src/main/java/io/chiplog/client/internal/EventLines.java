package io.chiplog.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.api.ChiplogException;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StoreIoException;
import io.chiplog.protocol.EventJson;
import io.chiplog.protocol.MalformedRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A read's NDJSON answer as a lazy {@code Stream<RecordedEvent>}: each event is parsed when the
 * stream asks for it, so a large read never sits in memory. Closing the stream closes the
 * answer (and with it the connection, if it was not read to the end). A body that fails or ends
 * in the middle of a line, which is how the server reports a read that failed after it began,
 * surfaces as {@link StoreIoException}, never as a shorter result.
 */
public final class EventLines {
  private EventLines() {}

  /** The events of {@code body}, the answer to {@code request}; closing the stream closes it. */
  public static Stream<RecordedEvent> stream(
      HttpTransport transport, HttpRequest request, InputStream body) {
    var reader = transport.lines(body);
    var events = new EventSpliterator(transport, request, reader);
    return StreamSupport.stream(events, /* parallel= */ false).onClose(events::close);
  }

  /** Pulls one line per advance; not thread-safe, as streams are not. */
  private static final class EventSpliterator extends Spliterators.AbstractSpliterator<RecordedEvent> {
    private final HttpTransport transport;
    private final HttpRequest request;
    private final NdjsonReader reader;
    private long delivered;
    private boolean finished;

    EventSpliterator(HttpTransport transport, HttpRequest request, NdjsonReader reader) {
      super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
      this.transport = transport;
      this.request = request;
      this.reader = reader;
    }

    @Override
    public boolean tryAdvance(Consumer<? super RecordedEvent> action) {
      if (finished) {
        return false;
      }
      RecordedEvent event;
      try {
        JsonNode line = reader.next();
        if (line == null) {
          finished = true;
          close();
          return false;
        }
        event = EventJson.readRecordedEvent(line);
      } catch (IOException e) {
        finished = true;
        close();
        throw cutShort(e);
      } catch (MalformedRequestException e) {
        finished = true;
        close();
        throw new StoreIoException(
            request.method() + " " + request.uri() + " answered with an event the client cannot"
                + " read: " + e.getMessage(), e);
      }
      delivered++;
      action.accept(event);
      return true;
    }

    private ChiplogException cutShort(IOException error) {
      if (transport.isClosed()) {
        return transport.closedError();
      }
      return new StoreIoException(
          request.method() + " " + request.uri() + " was cut short after " + delivered
              + " events; the read failed on the server or the connection broke: " + error,
          error);
    }

    void close() {
      try {
        reader.close();
      } catch (IOException ignored) {
        // The answer is abandoned either way; a failure to close it tells the caller nothing.
      }
    }
  }
}

package io.chiplog.server.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.chiplog.api.EventStore;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.protocol.DataEncoding;
import io.chiplog.protocol.EventJson;
import io.chiplog.protocol.ReadJson;
import io.chiplog.protocol.WireJson;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code POST /v1/read} and {@code GET /v1/streams/{stream}}: events as NDJSON, one per line,
 * streamed from the store's lazy read so a large answer never sits in memory.
 */
final class ReadEndpoint {
  private static final Set<String> READ_PARAMETERS = Set.of("encoding");
  private static final Set<String> STREAM_PARAMETERS = Set.of("from", "limit", "backwards", "encoding");
  private static final String STREAMS_PREFIX = "/v1/streams/";

  private final EventStore store;
  private final long bodyMaxBytes;

  ReadEndpoint(EventStore store, long bodyMaxBytes) {
    this.store = store;
    this.bodyMaxBytes = bodyMaxBytes;
  }

  void read(Exchange exchange) throws IOException {
    exchange.allowParameters(READ_PARAMETERS);
    DataEncoding encoding = encoding(exchange);
    ReadJson.ReadRequest request = ReadJson.readReadRequest(exchange.jsonBody(bodyMaxBytes));
    answer(exchange, store.read(request.query(), request.options()), encoding);
  }

  static boolean isStreamPath(String path) {
    return path.startsWith(STREAMS_PREFIX) && path.length() > STREAMS_PREFIX.length();
  }

  void readStream(Exchange exchange) throws IOException {
    exchange.allowParameters(STREAM_PARAMETERS);
    DataEncoding encoding = encoding(exchange);
    String stream = exchange.path().substring(STREAMS_PREFIX.length());
    boolean backwards = ReadJson.booleanParameter("backwards", exchange.parameter("backwards"), false);
    ReadOptions options = backwards ? ReadOptions.backwards() : ReadOptions.forwards();
    options = options.from(ReadJson.nonNegativeParameter("from", exchange.parameter("from"), options.from()));
    long limit = ReadJson.nonNegativeParameter("limit", exchange.parameter("limit"), ReadOptions.NO_LIMIT);
    options = options.limit((int) Math.min(limit, ReadOptions.NO_LIMIT));
    answer(exchange, store.readStream(stream, options), encoding);
  }

  static DataEncoding encoding(Exchange exchange) {
    String value = exchange.parameter("encoding");
    return value == null ? DataEncoding.JSON : DataEncoding.parse(value);
  }

  /**
   * Writes {@code events} as NDJSON. The first event is fetched before the status is committed,
   * so an error the read raises at once is still a proper error answer. One raised later must
   * cut the response short (no final chunk), which a client sees as a failed read: so the body
   * is closed — which sends the final chunk — only after the last event, never on the way out
   * of an exception.
   */
  private static void answer(Exchange exchange, Stream<RecordedEvent> events, DataEncoding encoding)
      throws IOException {
    try (events) {
      Iterator<RecordedEvent> iterator = events.iterator();
      boolean any = iterator.hasNext();
      OutputStream body = exchange.stream(200, WireJson.NDJSON);
      JsonGenerator out = WireJson.generator(body);
      if (any) {
        do {
          EventJson.writeRecordedEvent(out, iterator.next(), encoding);
          out.writeRaw('\n');
        } while (iterator.hasNext());
      }
      out.close();
      body.close();
    }
  }
}

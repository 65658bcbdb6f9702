package io.chiplog.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.chiplog.api.RecordedEvent;
import io.chiplog.protocol.DataEncoding;
import io.chiplog.protocol.EventJson;
import io.chiplog.protocol.WireJson;
import java.io.IOException;
import java.io.OutputStream;

/** Prints events as NDJSON, the same lines HTTP API v1 answers. Not thread-safe. */
final class EventPrinter implements AutoCloseable {
  private final JsonGenerator json;
  private final DataEncoding encoding;

  EventPrinter(OutputStream out, DataEncoding encoding) {
    this.json = WireJson.generator(out);
    this.encoding = encoding;
  }

  void print(RecordedEvent event) throws IOException {
    EventJson.writeRecordedEvent(json, event, encoding);
    json.writeRaw('\n');
  }

  void flush() throws IOException {
    json.flush();
  }

  @Override
  public void close() throws IOException {
    json.close();
  }
}

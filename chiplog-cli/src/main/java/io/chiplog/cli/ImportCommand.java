package io.chiplog.cli;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.RecordedEvent;
import io.chiplog.protocol.EventJson;
import io.chiplog.protocol.MalformedRequestException;
import io.chiplog.protocol.WireJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code chiplog import}: appends the events of an export, in order. Consecutive events of one
 * stream (or of no stream) go in one append, with the exact expected revision, so the streams'
 * revisions come out the same; into an empty store the positions come out the same too, and
 * the command checks that they do. Event ids are kept, so importing the same file again is a
 * retry of the same appends and writes nothing twice.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = "Append the events of an export (NDJSON) in order; into an empty store positions are reproduced.")
final class ImportCommand implements Callable<Integer> {
  private static final long BATCH_BYTES_MAX = 4L << 20;

  @Mixin StoreTarget target;

  @Option(names = {"-i", "--input"}, description = "Read this file (default: stdin).")
  @Nullable Path input;

  @Option(names = "--batch", description = "Most events per append (default: ${DEFAULT-VALUE}).")
  int batchEventsMax = 1000;

  @Option(names = "--into-non-empty", description = "Allow a store that already holds events (positions then differ).")
  boolean intoNonEmpty;

  @Override
  public Integer call() throws IOException {
    long size = input == null ? 0 : Files.size(input);
    try (EventStore store = target.open();
        InputStream in = input == null ? System.in : Files.newInputStream(input)) {
      long headBefore = store.head();
      if (headBefore > 0 && !intoNonEmpty) {
        throw new IllegalArgumentException(
            target.describe() + " already holds " + headBefore
                + " events; import into an empty store, or pass --into-non-empty (positions will differ)");
      }
      var counting = new CountingInputStream(in);
      var reader = new BufferedReader(new InputStreamReader(counting, StandardCharsets.UTF_8), 1 << 16);
      var progress = Progress.onTerminal("events", size);
      var batch = new Batch(store, headBefore == 0);
      long lineNumber = 0;
      for (String line; (line = reader.readLine()) != null; ) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        RecordedEvent event = parse(line, lineNumber);
        if (!batch.accepts(event, batchEventsMax)) {
          batch.flush();
        }
        batch.add(event);
        progress.update(counting.count, batch.imported + batch.events.size());
      }
      batch.flush();
      progress.finish(counting.count, batch.imported);
      System.err.printf("imported %,d events into %s (head %d)%n", batch.imported, target.describe(), store.head());
    }
    return 0;
  }

  private static RecordedEvent parse(String line, long lineNumber) {
    try {
      return EventJson.readRecordedEvent(WireJson.parse(line.getBytes(StandardCharsets.UTF_8)));
    } catch (MalformedRequestException e) {
      throw new IllegalArgumentException("line " + lineNumber + " is not an exported event: " + e.getMessage());
    }
  }

  /** Consecutive events of one stream, appended together. Not thread-safe. */
  private static final class Batch {
    final EventStore store;
    final boolean checkPositions;
    final List<RecordedEvent> events = new ArrayList<>();
    long bytes;
    long imported;

    Batch(EventStore store, boolean checkPositions) {
      this.store = store;
      this.checkPositions = checkPositions;
    }

    boolean accepts(RecordedEvent event, int eventsMax) {
      return events.isEmpty()
          || (Objects.equals(events.getFirst().stream(), event.stream())
              && events.size() < eventsMax
              && bytes + event.dataSize() + event.metadata().length < BATCH_BYTES_MAX);
    }

    void add(RecordedEvent event) {
      events.add(event);
      bytes += event.dataSize() + event.metadata().length;
    }

    void flush() {
      if (events.isEmpty()) {
        return;
      }
      RecordedEvent first = events.getFirst();
      List<EventData> data = events.stream().map(RecordedEvent::toEventData).toList();
      AppendRequest request =
          first.stream() == null
              ? AppendRequest.of(data)
              : AppendRequest.of(data).toStream(first.stream(), first.revision() == 0
                  ? ExpectedRevision.noStream()
                  : ExpectedRevision.exactly(first.revision() - 1));
      AppendResult result = store.append(request);
      if (checkPositions && result.firstPosition() != first.position()) {
        throw new IllegalStateException(
            "the export is not a whole log from position 1: event " + first.id() + " was at position "
                + first.position() + " and is now at " + result.firstPosition());
      }
      imported += events.size();
      events.clear();
      bytes = 0;
    }
  }

  /** Counts the bytes read, for the progress bar. */
  private static final class CountingInputStream extends java.io.FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int read = super.read(buffer, offset, length);
      if (read > 0) {
        count += read;
      }
      return read;
    }
  }
}

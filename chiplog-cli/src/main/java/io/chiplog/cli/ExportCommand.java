package io.chiplog.cli;

import io.chiplog.api.EventStore;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.protocol.DataEncoding;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code chiplog export}: every event as NDJSON with byte-exact base64 payloads, the format
 * {@code chiplog import} reads. Ids, types, tags, streams, revisions, data and metadata are kept.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Write every event (or those from --from on) as NDJSON, byte-exact, for `chiplog import`.")
final class ExportCommand implements Callable<Integer> {
  @Mixin StoreTarget target;

  @Option(names = {"-o", "--output"}, description = "Write to this file (default: stdout).")
  @Nullable Path output;

  @Option(names = "--from", description = "First position to export (default: 1).")
  long from = 1;

  @Override
  public Integer call() throws Exception {
    try (EventStore store = target.open();
        OutputStream sink = output == null ? System.out : Files.newOutputStream(output);
        var printer = new EventPrinter(new BufferedOutputStream(sink, 1 << 16), DataEncoding.BASE64);
        Stream<RecordedEvent> events = store.read(Query.all(), ReadOptions.forwards().from(from))) {
      long head = store.head();
      var progress = Progress.onTerminal("events", head);
      long count = 0;
      long last = 0;
      for (var iterator = events.iterator(); iterator.hasNext(); ) {
        RecordedEvent event = iterator.next();
        printer.print(event);
        last = event.position();
        progress.update(last, ++count);
      }
      printer.flush();
      progress.finish(last, count);
      if (output != null) {
        System.err.printf("exported %,d events (positions %d..%d) to %s%n", count, from, last, output);
      }
    }
    return 0;
  }
}

package io.chiplog.cli;

import io.chiplog.api.EventStore;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.protocol.DataEncoding;
import java.io.BufferedOutputStream;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chiplog read}: events as NDJSON, by query or by stream. */
@Command(
    name = "read",
    mixinStandardHelpOptions = true,
    description = "Print events as NDJSON: all of them, a query's (--types/--tags) or a stream's (--stream).")
final class ReadCommand implements Callable<Integer> {
  @Mixin StoreTarget target;
  @Mixin QueryOptions query;

  @Option(names = "--stream", description = "Read this stream (--from is then a revision).")
  @Nullable String stream;

  @Option(names = "--from", description = "First position (or revision) to read, inclusive.")
  @Nullable Long from;

  @Option(names = "--limit", description = "Print at most this many events.")
  @Nullable Integer limit;

  @Option(names = "--backwards", description = "Newest first.")
  boolean backwards;

  @Option(names = "--base64", description = "Print data and metadata as base64, byte-exact.")
  boolean base64;

  @Override
  public Integer call() throws Exception {
    ReadOptions options = backwards ? ReadOptions.backwards() : ReadOptions.forwards();
    if (from != null) {
      options = options.from(from);
    }
    if (limit != null) {
      options = options.limit(limit);
    }
    try (EventStore store = target.open();
        Stream<RecordedEvent> events =
            stream == null ? store.read(query.query(), options) : store.readStream(stream, options);
        var printer = new EventPrinter(new BufferedOutputStream(System.out, 1 << 16), base64 ? DataEncoding.BASE64 : DataEncoding.JSON)) {
      for (var iterator = events.iterator(); iterator.hasNext(); ) {
        printer.print(iterator.next());
      }
      printer.flush();
    }
    System.out.flush();
    return 0;
  }
}

package io.chiplog.cli;

import io.chiplog.api.EventStore;
import io.chiplog.api.EventSubscription;
import io.chiplog.api.RecordedEvent;
import io.chiplog.protocol.DataEncoding;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chiplog tail}: follow new events live, like {@code tail -f}. */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = "Follow events live as NDJSON (from the end, or --from a position) until Ctrl-C or --count.")
final class TailCommand implements Callable<Integer> {
  @Mixin StoreTarget target;
  @Mixin QueryOptions query;

  @Option(names = "--from", description = "Start at this position, inclusive (default: only new events).")
  @Nullable Long from;

  @Option(names = "--count", description = "Exit after this many events.")
  long count = Long.MAX_VALUE;

  @Option(names = "--base64", description = "Print data and metadata as base64, byte-exact.")
  boolean base64;

  @Override
  public Integer call() throws Exception {
    try (EventStore store = target.open();
        EventSubscription subscription = store.subscribe(query.query(), from != null ? from : store.head() + 1);
        var printer = new EventPrinter(System.out, base64 ? DataEncoding.BASE64 : DataEncoding.JSON)) {
      long printed = 0;
      while (printed < count) {
        for (RecordedEvent event : subscription.poll((int) Math.min(1000, count - printed), Duration.ofSeconds(1))) {
          printer.print(event);
          printed++;
        }
        printer.flush();
      }
    }
    return 0;
  }
}

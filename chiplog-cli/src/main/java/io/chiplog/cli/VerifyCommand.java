package io.chiplog.cli;

import io.chiplog.store.FileEventStore;
import io.chiplog.store.VerifyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chiplog verify}: checks every record's checksum and that the indexes agree with the
 * log; {@code --rebuild-index} first throws the indexes away and rebuilds them from the log.
 * Exit code 1 when anything is wrong.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = "Check a store's checksums and indexes (the store must not be open in a server).")
final class VerifyCommand implements Callable<Integer> {
  @Option(names = "--data", defaultValue = "chiplog-data", description = "Store directory (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--rebuild-index", description = "Delete the indexes and rebuild them from the log before checking.")
  boolean rebuildIndex;

  @Override
  public Integer call() {
    if (!Files.isDirectory(data)) {
      throw new IllegalArgumentException(data + " is not a store directory");
    }
    if (rebuildIndex) {
      // Opening takes the directory's lock: a store in use by a server is refused here, before
      // its indexes are touched.
      FileEventStore.open(data).close();
      FileEventStore.deleteIndex(data);
      System.err.println("deleted the indexes of " + data + "; rebuilding them from the log");
    }
    long started = System.nanoTime();
    try (var store = FileEventStore.open(data)) {
      long opened = System.nanoTime();
      VerifyReport report = store.verify();
      long verified = System.nanoTime();
      System.out.printf(
          "%s: %,d events in %d segments checked; opened in %d ms, verified in %d ms%n",
          data, report.eventsChecked(), report.segmentsChecked(),
          (opened - started) / 1_000_000, (verified - opened) / 1_000_000);
      report.problems().forEach(problem -> System.out.println("problem: " + problem));
      System.out.println(report.isSound() ? "sound" : report.problems().size() + " problem(s) found");
      return report.isSound() ? 0 : 1;
    }
  }
}

package io.chiplog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.store.FileEventStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export} then {@code import} into a fresh store gives the same events at the same
 * positions: {@code read} prints the same lines but for {@code recordedAt}, which is the
 * importing store's clock.
 */
class ExportImportTest {
  @TempDir Path temp;

  @Test
  void exportThenImportIntoAFreshStoreReproducesEveryEvent() throws Exception {
    Path original = temp.resolve("original");
    Path copy = temp.resolve("copy");
    Path export = temp.resolve("export.ndjson");
    fillWithVariedEvents(original, 2_000);

    CliRun exported = CliRun.of("export", "--data", original.toString(), "-o", export.toString());
    CliRun imported = CliRun.of("import", "--data", copy.toString(), "-i", export.toString());

    assertThat(exported.exitCode()).as(exported.err()).isZero();
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.err()).contains("imported 2,000 events");
    assertThat(withoutRecordedAt(read(copy))).isEqualTo(withoutRecordedAt(read(original)));
    assertThat(read(copy).lines()).hasSize(2_000);
  }

  @Test
  void importingTheSameExportAgainWritesNothingTwice() {
    Path original = temp.resolve("original");
    Path copy = temp.resolve("copy");
    Path export = temp.resolve("export.ndjson");
    fillWithVariedEvents(original, 300);
    CliRun.of("export", "--data", original.toString(), "-o", export.toString());
    CliRun.of("import", "--data", copy.toString(), "-i", export.toString());

    CliRun refused = CliRun.of("import", "--data", copy.toString(), "-i", export.toString());
    CliRun retried = CliRun.of("import", "--data", copy.toString(), "-i", export.toString(), "--into-non-empty");

    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("already holds 300 events");
    assertThat(retried.exitCode()).as(retried.err()).isZero();
    assertThat(read(copy).lines()).hasSize(300);
  }

  @Test
  void aDamagedExportLineIsRefusedWithItsLineNumber() throws Exception {
    Path export = temp.resolve("export.ndjson");
    Files.writeString(export, "{\"position\":1,\"id\":\"" + UUID.randomUUID()
        + "\",\"type\":\"T\",\"tags\":[],\"recordedAt\":\"2026-01-01T00:00:00Z\"}\n{\"position\":2,\"id\n");

    CliRun run = CliRun.of("import", "--data", temp.resolve("copy").toString(), "-i", export.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("line 2");
  }

  private static String read(Path store) {
    CliRun run = CliRun.of("read", "--data", store.toString(), "--base64");
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.out();
  }

  private static String withoutRecordedAt(String ndjson) {
    return ndjson.lines().map(line -> line.replaceAll("\"recordedAt\":\"[^\"]*\",", "")).collect(Collectors.joining("\n"));
  }

  /** Streams with revisions, tags, binary and JSON data, metadata, events without a stream. */
  private static void fillWithVariedEvents(Path directory, int count) {
    var random = new Random(42);
    try (var store = FileEventStore.open(directory)) {
      int written = 0;
      while (written < count) {
        int batch = Math.min(count - written, 1 + random.nextInt(5));
        var events = new java.util.ArrayList<EventData>();
        for (int i = 0; i < batch; i++) {
          byte[] data = new byte[random.nextInt(64)];
          random.nextBytes(data);
          EventData event = random.nextBoolean()
              ? new EventData(UUID.randomUUID(), "Binary", Set.of("kind:bin", "n:" + random.nextInt(9)), data, "{\"actor\": \"x\"}".getBytes(StandardCharsets.UTF_8))
              : EventData.ofJson("Json", "{\"n\": " + random.nextInt() + ", \"s\": \"" + Integer.toHexString(random.nextInt()) + "\"}");
          events.add(event);
        }
        var request = AppendRequest.of(events);
        if (random.nextInt(3) > 0) {
          request = request.toStream("stream-" + random.nextInt(20), ExpectedRevision.any());
        }
        store.append(request);
        written += batch;
      }
    }
  }
}

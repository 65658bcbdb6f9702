package io.chiplog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.EventData;
import io.chiplog.server.ChiplogServer;
import io.chiplog.server.ServerOptions;
import io.chiplog.store.FileEventStore;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that talk to a server ({@code --url}), against a real one on a free port. */
class ServerCommandsIT {
  @TempDir Path temp;
  private FileEventStore store;
  private ChiplogServer server;
  private String url;

  @BeforeEach
  void startServer() {
    store = FileEventStore.open(temp.resolve("served"));
    server = ChiplogServer.start(store, ServerOptions.builder().port(0).build());
    url = server.uri().toString();
  }

  @AfterEach
  void stopServer() {
    server.close();
    store.close();
  }

  @Test
  void appendReadHeadAndTailTalkToTheServer() throws Exception {
    CliRun appended = CliRun.of("append", "--url", url, "--type", "BookAdded", "--tag", "category:fiction",
        "-d", "{\"title\":\"Dune\"}", "--stream", "book-1", "--expected-revision", "none");
    CliRun conflict = CliRun.of("append", "--url", url, "--type", "BookAdded",
        "--fail-if-events-match", "{\"items\":[{\"types\":[\"BookAdded\"],\"tags\":[\"category:fiction\"]}]}");
    CliRun second = CliRun.withStdin("{\"type\":\"BookLent\",\"data\":{\"to\":\"ann\"}}\n",
        "append", "--url", url, "--stream", "book-1", "--expected-revision", "0");
    CliRun read = CliRun.of("read", "--url", url, "--stream", "book-1");
    CliRun head = CliRun.of("head", "--url", url);
    CliRun tail = CliRun.of("tail", "--url", url, "--from", "1", "--count", "2");

    assertThat(appended.out()).isEqualTo("{\"firstPosition\":1,\"lastPosition\":1,\"streamRevision\":0}\n");
    assertThat(conflict.exitCode()).isEqualTo(1);
    assertThat(conflict.err()).contains("exists after position 0 (at 1)");
    assertThat(second.out()).isEqualTo("{\"firstPosition\":2,\"lastPosition\":2,\"streamRevision\":1}\n");
    assertThat(read.out().lines()).hasSize(2);
    assertThat(read.out()).contains("\"data\":{\"title\":\"Dune\"}", "\"data\":{\"to\":\"ann\"}");
    assertThat(head.out().trim()).isEqualTo("2");
    assertThat(tail.exitCode()).as(tail.err()).isZero();
    assertThat(tail.out().lines()).hasSize(2);
    assertThat(store.head()).isEqualTo(2);
  }

  @Test
  void tailFollowsEventsAppendedAfterItStarted() throws Exception {
    var tail = CompletableFuture.supplyAsync(() -> CliRun.of("tail", "--url", url, "--types", "Late", "--count", "1"));
    // tail follows from the head at its start: append once its subscription is open.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (server.activeSubscribers() == 0 && !tail.isDone()) {
      assertThat(System.nanoTime()).as("tail subscribed within 30 s").isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
    store.append(AppendRequest.of(EventData.of("Late")));

    CliRun done = tail.get(30, TimeUnit.SECONDS);
    assertThat(done.exitCode()).as(done.err()).isZero();
    assertThat(done.out()).contains("\"type\":\"Late\"");
  }

  @Test
  void exportFromTheServerImportsIntoADirectory() {
    for (int i = 0; i < 50; i++) {
      CliRun.of("append", "--url", url, "--type", "Numbered", "-d", "{\"n\":" + i + "}", "--stream", "s-" + (i % 3));
    }
    Path export = temp.resolve("export.ndjson");

    CliRun exported = CliRun.of("export", "--url", url, "-o", export.toString());
    CliRun imported = CliRun.of("import", "--data", temp.resolve("copy").toString(), "-i", export.toString());

    assertThat(exported.exitCode()).as(exported.err()).isZero();
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(CliRun.of("head", "--data", temp.resolve("copy").toString()).out().trim()).isEqualTo("50");
  }

  @Test
  void anUnreachableServerIsAClearFailure() {
    CliRun run = CliRun.of("head", "--url", "http://127.0.0.1:1");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("127.0.0.1:1");
  }

  @Test
  void benchAppendsAndReportsPercentiles() {
    CliRun run = CliRun.of("bench", "--url", url, "--workload", "append", "--connections", "4",
        "--duration", "1s", "--warmup", "0s");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("append, 4 connections: [\\d,]+/s \\([\\d,]+ in 1\\.0 s, 0 failed\\); latency ms p50");
    assertThat(store.head()).isPositive();
  }
}

package io.chiplog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Help, usage errors and exit codes: 0 done, 1 failed, 2 bad usage. */
class CommandLineTest {
  @TempDir Path temp;

  @Test
  void helpListsEveryCommand() {
    CliRun run = CliRun.of("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("serve", "append", "read", "tail", "head", "export", "import", "verify", "bench", "example");
  }

  @Test
  void exampleWithoutANameIsBadUsage() {
    CliRun run = CliRun.of("example");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("name an example: library");
  }

  @Test
  void aTicketHoldOfNoTimeIsBadUsageAndOpensNothing() {
    Path data = temp.resolve("tickets");
    CliRun run = CliRun.of("example", "tickets", "--hold-seconds", "0", "--data", data.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--hold-seconds must be at least 1, was 0");
    assertThat(data).doesNotExist();
  }

  @Test
  void anUnknownFlagIsBadUsage() {
    CliRun run = CliRun.of("read", "--form", "3");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option").contains("--form");
  }

  @Test
  void verifyRefusesADirectoryThatIsNotThere() {
    CliRun run = CliRun.of("verify", "--data", temp.resolve("typo").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("is not a store directory");
    assertThat(temp.resolve("typo")).doesNotExist();
  }

  @Test
  void appendThenReadThenVerifyAStoreDirectory() {
    String data = temp.resolve("store").toString();

    CliRun one = CliRun.of("append", "--data", data, "--type", "BookAdded", "--tag", "category:fiction",
        "--event-data", "{\"title\":\"Dune\"}", "--stream", "book-1", "--expected-revision", "none");
    CliRun two = CliRun.withStdin("{\"type\":\"BookAdded\",\"data\":{\"title\":\"Emma\"}}\n{\"type\":\"BookLent\"}\n",
        "append", "--data", data, "--stream", "book-1", "--expected-revision", "0");
    CliRun conflict = CliRun.of("append", "--data", data, "--type", "BookAdded", "--stream", "book-1", "--expected-revision", "none");
    CliRun read = CliRun.of("read", "--data", data, "--types", "BookAdded");
    CliRun head = CliRun.of("head", "--data", data);
    CliRun verify = CliRun.of("verify", "--data", data, "--rebuild-index");

    assertThat(one.out()).isEqualTo("{\"firstPosition\":1,\"lastPosition\":1,\"streamRevision\":0}\n");
    assertThat(two.out()).isEqualTo("{\"firstPosition\":2,\"lastPosition\":3,\"streamRevision\":2}\n");
    assertThat(conflict.exitCode()).isEqualTo(1);
    assertThat(conflict.err()).contains("expected no stream but found revision 2");
    assertThat(read.out().lines()).hasSize(2).allMatch(line -> line.contains("\"type\":\"BookAdded\""));
    assertThat(read.out()).contains("\"data\":{\"title\":\"Dune\"}");
    assertThat(head.out().trim()).isEqualTo("3");
    assertThat(verify.exitCode()).as(verify.err()).isZero();
    assertThat(verify.out()).contains("3 events").contains("sound");
  }

  @Test
  void batchesAreRefusedWhenAConditionGuardsTheAppend() {
    String data = temp.resolve("store").toString();

    CliRun run = CliRun.withStdin("{\"type\":\"A\"}\n{\"type\":\"A\"}\n", "append", "--data", data, "--batch", "1",
        "--fail-if-events-match", "{\"items\":[{\"types\":[\"A\"]}]}");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("leave out --batch");
    assertThat(CliRun.of("head", "--data", data).out().trim()).isEqualTo("0");
  }

  @Test
  void badEventJsonOnStdinNamesTheLine() {
    CliRun run = CliRun.withStdin("{\"type\":\"A\"}\n{\"type\":\"B\",\"tags\":\"x\"}\n", "append", "--data", temp.resolve("s").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("line 2.tags");
  }
}

package io.chiplog.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.memory.InMemoryEventStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Ids drawn by the default random source differ between two runs of a process. ThreadLocalRandom
 * seeds a thread only when the thread itself calls {@code current()}; a thread that uses an
 * instance obtained elsewhere draws a sequence that is the same in every JVM, and the store then
 * takes a new append with those ids for a retry of an old one and writes nothing.
 */
class IdsAcrossRestartsTest {

  /** Prints three ids drawn on fresh threads by a {@link Commands} built on the main thread. */
  public static void main(String[] args) throws InterruptedException {
    var commands = new Commands(InMemoryEventStore.create());
    for (int i = 0; i < 3; i++) {
      Thread fresh = Thread.ofPlatform().start(() -> commands.decide("ids", Accounts.TYPES, context -> {
        System.out.println(context.newId());
        return Decision.accept(List.of());
      }));
      fresh.join();
    }
  }

  @Test
  void twoRunsDrawDifferentIds() throws Exception {
    List<String> first = run();
    List<String> second = run();

    assertThat(first).hasSize(3);
    assertThat(second).hasSize(3).doesNotContainAnyElementsOf(first);
  }

  private static List<String> run() throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        IdsAcrossRestartsTest.class.getName()).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(output).isZero();
    return output.lines().filter(line -> line.matches("[0-9a-f-]{36}")).toList();
  }
}

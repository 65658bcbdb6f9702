package io.chiplog.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test's child JVM, for crash tests: a main class of the test classpath, run on the test's own
 * JDK, whose stdout is read line by line and whose stderr goes to a file. Killing it sends
 * SIGKILL.
 *
 * <p>Only complete lines count: a kill may cut the line being written, and a cut line was never
 * a report. Not thread-safe: one test thread drives it.
 */
public final class ChildProcess implements AutoCloseable {
  /** Marks the end of the child's stdout in {@link #lines}. */
  private static final String END = "\u0000end";
  private static final Duration EXIT_WAIT = Duration.ofSeconds(30);
  private static final int STDERR_TAIL_CHARS = 4_000;

  private final Process process;
  private final Path stderr;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Thread reader;

  private ChildProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    this.reader = Thread.ofPlatform().daemon().name("child-stdout-" + process.pid()).start(this::readLines);
  }

  /**
   * Starts {@code main} with {@code args}. C1 alone and the serial collector get a short-lived
   * child working sooner on a small machine; VM warnings go to stderr so that stdout holds only
   * the child's report.
   */
  public static ChildProcess start(Class<?> main, Path stderr, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException("no java command"));
    var command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-XX:+DisplayVMOutputToStderr", "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    return new ChildProcess(process, stderr);
  }

  private void readLines() {
    try (InputStream in = process.getInputStream()) {
      var line = new ByteArrayOutputStream();
      for (int b = in.read(); b >= 0; b = in.read()) {
        if (b == '\n') {
          lines.add(line.toString(StandardCharsets.UTF_8));
          line.reset();
        } else {
          line.write(b);
        }
      }
    } catch (IOException e) {
      // The pipe broke: the child's output ends here, as at a kill.
    } finally {
      lines.add(END);
    }
  }

  /**
   * The next complete line, waiting up to {@code wait}.
   *
   * @throws AssertionError when none came in time or the child's output ended
   */
  public String nextLine(Duration wait) throws InterruptedException, IOException {
    String line = lines.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new AssertionError("no line from the child in " + wait + "; its stderr: " + stderrTail());
    }
    if (line.equals(END)) {
      lines.add(END);
      throw new AssertionError("the child's output ended (alive: " + process.isAlive() + "); its stderr: " + stderrTail());
    }
    return line;
  }

  /**
   * Waits {@code delay}, checks the child still runs, and sends it SIGKILL through its process
   * handle: {@link Process#destroyForcibly()} would also close this end of the pipe and lose the
   * lines still in it. Returns when the child is gone.
   */
  public void killAfter(Duration delay) throws InterruptedException, IOException {
    assertThat(process.waitFor(delay.toMillis(), TimeUnit.MILLISECONDS))
        .as("the child exited on its own before the kill; its stderr: %s", stderrTail()).isFalse();
    assertThat(process.toHandle().destroyForcibly()).as("SIGKILL sent").isTrue();
    assertThat(process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the child is gone after SIGKILL").isTrue();
  }

  /** The child's exit status; it has exited. */
  public int exitValue() {
    return process.exitValue();
  }

  /** The complete lines not read yet, once the child's output has ended. */
  public List<String> remainingLines() throws InterruptedException {
    reader.join(EXIT_WAIT.toMillis());
    var rest = new ArrayList<String>();
    lines.drainTo(rest);
    rest.remove(END);
    return rest;
  }

  /** The end of the child's stderr, for failure messages. */
  public String stderrTail() throws IOException {
    if (!Files.exists(stderr)) {
      return "(none)";
    }
    String text = Files.readString(stderr);
    return text.length() <= STDERR_TAIL_CHARS ? text : "..." + text.substring(text.length() - STDERR_TAIL_CHARS);
  }

  /** Kills the child if a failed test left it running. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.toHandle().destroyForcibly();
      try {
        process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

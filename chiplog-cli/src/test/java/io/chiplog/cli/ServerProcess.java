package io.chiplog.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A serving {@code chiplog} command ({@code serve}, {@code example library}) in a child JVM on a
 * free port, with its output captured.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile("Chiplog is serving .* at (http://\\S+)");

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final URI uri;

  private ServerProcess(Process process, URI uri) {
    this.process = process;
    this.uri = uri;
  }

  /** Starts {@code chiplog serve} on {@code data} and waits until it listens. */
  static ServerProcess start(Path data, String... extraArgs) throws IOException, InterruptedException {
    var args = new ArrayList<>(List.of("serve", "--data", data.toString(), "--port", "0"));
    args.addAll(List.of(extraArgs));
    return start(SERVING, args);
  }

  /**
   * Starts {@code chiplog args} and waits for the line that {@code serving} matches, whose first
   * group is the address it serves at.
   */
  static ServerProcess start(Pattern serving, List<String> args) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    var command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var found = new CompletableFuture<URI>();
    var lines = new CopyOnWriteArrayList<String>();
    Thread.ofPlatform().daemon().name("server-output").start(() -> {
      try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = reader.readLine()) != null; ) {
          lines.add(line);
          Matcher matcher = serving.matcher(line);
          if (matcher.find()) {
            found.complete(URI.create(matcher.group(1)));
          }
        }
      } catch (IOException e) {
        // The child is gone; its output ends here.
      }
      found.completeExceptionally(new IllegalStateException("the server exited: " + lines));
    });
    try {
      URI uri = found.get(60, TimeUnit.SECONDS);
      var server = new ServerProcess(process, uri);
      server.output.addAll(lines);
      return server;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("the server did not start: " + lines, e);
    }
  }

  URI uri() {
    return uri;
  }

  /** Sends SIGTERM and waits for the exit; returns the exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the server did not stop within 60 s of SIGTERM");
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.onExit().join();
    }
  }
}

package io.chiplog.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code chiplog} in this JVM with stdin, stdout and stderr captured. The commands write to
 * {@code System.out}, so runs are serialized: tests using this must not run concurrently.
 */
record CliRun(int exitCode, String out, String err) {

  static synchronized CliRun withStdin(String stdin, String... args) {
    InputStream oldIn = System.in;
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      var commandLine = Main.commandLine();
      commandLine.setOut(new java.io.PrintWriter(System.out, true));
      commandLine.setErr(new java.io.PrintWriter(System.err, true));
      int code = commandLine.execute(args);
      System.out.flush();
      System.err.flush();
      return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setIn(oldIn);
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  static CliRun of(String... args) {
    return withStdin("", args);
  }
}

package io.chiplog.cli;

import io.chiplog.api.ChiplogException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns an exception a command throws into one line on stderr and exit code 1: users see what
 * went wrong, not a stack trace. {@code CHIPLOG_DEBUG=1} prints the trace too.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(
      Exception error, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    var err = commandLine.getErr();
    err.println("chiplog " + commandLine.getCommandName() + ": " + describe(error));
    if (System.getenv("CHIPLOG_DEBUG") != null) {
      error.printStackTrace(err);
    }
    err.flush();
    return error instanceof CommandLine.ParameterException ? 2 : 1;
  }

  private static String describe(Throwable error) {
    if (error instanceof UncheckedIOException unchecked) {
      return describe(unchecked.getCause());
    }
    if (error instanceof java.net.ConnectException) {
      return "cannot connect to the server (is `chiplog serve` running?)";
    }
    if (error instanceof ChiplogException || error instanceof IOException
        || error instanceof IllegalArgumentException) {
      return String.valueOf(error.getMessage());
    }
    return error.toString();
  }
}

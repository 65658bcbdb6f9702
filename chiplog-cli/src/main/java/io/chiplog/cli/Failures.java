package io.chiplog.cli;

import io.chiplog.api.ChiplogException;
import io.chiplog.protocol.MalformedRequestException;
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
    return isUsage(error) ? 2 : 1;
  }

  /** Bad flags or bad input given on the command line: exit code 2, like picocli's own. */
  private static boolean isUsage(Throwable error) {
    return error instanceof CommandLine.ParameterException
        || error instanceof IllegalArgumentException
        || error instanceof MalformedRequestException;
  }

  private static String describe(Throwable error) {
    if (error instanceof UncheckedIOException unchecked) {
      return describe(unchecked.getCause());
    }
    if (error instanceof java.net.ConnectException) {
      return "cannot connect to the server (is `chiplog serve` running?)";
    }
    if (error instanceof ChiplogException || error instanceof IOException
        || error instanceof IllegalArgumentException || error instanceof MalformedRequestException) {
      return String.valueOf(error.getMessage());
    }
    return error.toString();
  }
}

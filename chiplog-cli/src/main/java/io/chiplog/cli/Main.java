package io.chiplog.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code chiplog}: run the server and work with a store from the command line. {@code ./chiplog}
 * at the repository root builds this jar on first use and runs it.
 */
@Command(
    name = "chiplog",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Chiplog: an event store that runs embedded or as a server.",
    subcommands = {
      ServeCommand.class,
      AppendCommand.class,
      ReadCommand.class,
      TailCommand.class,
      HeadCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      VerifyCommand.class,
      BenchCommand.class,
      ExampleCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs {@code args} and exits with the command's exit code. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs {@code args} and returns the exit code (0 done, 1 failed, 2 bad usage). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line, for tests that capture its output. */
  public static CommandLine commandLine() {
    var commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler(new Failures());
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    return commandLine;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reports the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"chiplog " + (version == null ? "(development build)" : version)};
    }
  }
}

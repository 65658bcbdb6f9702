package io.chiplog.cli;

import io.chiplog.examples.bank.BankApp;
import io.chiplog.examples.library.LibraryApp;
import io.chiplog.examples.social.SocialApp;
import io.chiplog.examples.tickets.TicketsApp;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chiplog example <name>}: runs an example application on the embedded store. SIGTERM (or
 * Ctrl-C) stops it gracefully, as {@code serve} does: no new connections, requests in flight
 * finish, then the store closes.
 */
@Command(
    name = "example",
    mixinStandardHelpOptions = true,
    description = "Run an example application on the embedded store.",
    subcommands = {ExampleCommand.Library.class, ExampleCommand.Social.class, ExampleCommand.Bank.class,
        ExampleCommand.Tickets.class})
final class ExampleCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name an example: library, social, bank, tickets");
  }

  /** {@code chiplog example library}: the library catalogue of {@code examples/library}. */
  @Command(
      name = "library",
      mixinStandardHelpOptions = true,
      description = "The library catalogue: categories, gap-free book numbers, editions (examples/library/README.md).")
  static final class Library implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "" + LibraryApp.DEFAULT_PORT, description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data", defaultValue = LibraryApp.DEFAULT_DATA, description = "Store directory (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--queue-by-key", description = "Run the decisions of one category one at a time in this process instead of letting them race and retry.")
    boolean queueByKey;

    @Override
    public Integer call() throws InterruptedException {
      LibraryApp.runUntilStopped(data, port, LibraryApp.modelOptions(queueByKey));
      return 0;
    }
  }

  /** {@code chiplog example social}: friends of friends, {@code examples/social}. */
  @Command(
      name = "social",
      mixinStandardHelpOptions = true,
      description = "Friends of friends: users, friendships, and two views kept incrementally (examples/social/README.md).")
  static final class Social implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "" + SocialApp.DEFAULT_PORT, description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data", defaultValue = SocialApp.DEFAULT_DATA,
        description = "Data directory: the event store, and the views in views.db (default: ${DEFAULT-VALUE}).")
    Path data;

    @Override
    public Integer call() throws InterruptedException {
      SocialApp.runUntilStopped(data, port);
      return 0;
    }
  }

  /** {@code chiplog example bank}: accounts and transfers as workflows, {@code examples/bank}. */
  @Command(
      name = "bank",
      mixinStandardHelpOptions = true,
      description = "A bank: accounts, and transfers as durable workflows that refund when the deposit is refused (examples/bank/README.md).")
  static final class Bank implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "" + BankApp.DEFAULT_PORT, description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data", defaultValue = BankApp.DEFAULT_DATA, description = "Store directory (default: ${DEFAULT-VALUE}).")
    Path data;

    @Override
    public Integer call() throws InterruptedException {
      BankApp.runUntilStopped(data, port);
      return 0;
    }
  }

  /** {@code chiplog example tickets}: seat holds that expire unless paid, {@code examples/tickets}. */
  @Command(
      name = "tickets",
      mixinStandardHelpOptions = true,
      description = "Seat holds that expire unless paid, through a durable workflow timer (examples/tickets/README.md).")
  static final class Tickets implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "" + TicketsApp.DEFAULT_PORT, description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data", defaultValue = TicketsApp.DEFAULT_DATA, description = "Store directory (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--hold-seconds", defaultValue = "" + TicketsApp.DEFAULT_HOLD_SECONDS,
        description = "How long a hold lasts unless paid, in seconds (default: ${DEFAULT-VALUE}).")
    int holdSeconds;

    @Override
    public Integer call() throws InterruptedException {
      TicketsApp.runUntilStopped(data, port, TicketsApp.holdFor(holdSeconds));
      return 0;
    }
  }
}

package io.chiplog.examples.bank;

import io.chiplog.api.EventStore;
import io.chiplog.examples.support.ExampleApp;
import io.chiplog.examples.support.ExampleServer;
import io.chiplog.model.Commands;
import io.chiplog.model.ModelOptions;
import io.chiplog.store.FileEventStore;
import io.chiplog.workflows.Workflow;
import io.chiplog.workflows.Workflows;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The bank over HTTP, on Jetty with a virtual thread per request, with the workflow engine that
 * runs its transfers beside it. The endpoints are listed in the module's README.
 *
 * <pre>{@code
 * try (var store = FileEventStore.open(Path.of("bank-data"));
 *     var app = BankApp.start(store, 7274)) {
 *   app.awaitStop();
 * }
 * }</pre>
 *
 * <p>At start the engine resumes every transfer that had not ended where it stopped. {@link
 * #close()} stops gracefully: no new connections, requests in flight finish (up to 10 s), then
 * the engine stops (steps running get 5 s; the rest resumes at the next start). It does not
 * close the store: whoever opened it closes it, after the app. Thread-safe.
 */
public final class BankApp extends ExampleApp {
  /** The port it listens on unless told otherwise. */
  public static final int DEFAULT_PORT = 7274;

  /** The store directory unless told otherwise. */
  public static final String DEFAULT_DATA = "bank-data";

  private final Workflows workflows;

  private BankApp(ExampleServer server, Workflows workflows) {
    super(server, workflows::close);
    this.workflows = workflows;
  }

  /**
   * The bank's model options: its decisions on one account run one at a time in this process
   * (the HTTP operations and the refunds on a busy account queue instead of racing and retrying;
   * a transfer's withdraw and deposit are decision steps, run by the workflow engine, which
   * decides them again when they conflict), and meters go to {@code registry}.
   */
  public static ModelOptions modelOptions(MeterRegistry registry) {
    return ModelOptions.builder().queueByKey(true).meters(registry).build();
  }

  /**
   * The bank, its transfer workflow and the engine that runs it, over {@code store}: what the app
   * serves, and what a test drives without HTTP. The engine has resumed the transfers not ended
   * when this returns; close it before the store.
   */
  public static Running run(EventStore store, MeterRegistry registry) {
    var bank = new Bank(new Commands(store, modelOptions(registry)));
    Workflow<Transfer> transfer = TransferWorkflow.define(bank);
    Workflows workflows = Workflows.builder(store).add(transfer).meterRegistry(registry).start();
    return new Running(bank, transfer, workflows);
  }

  /**
   * A bank with its transfers running.
   *
   * @param bank the accounts
   * @param transfer the transfer workflow, as added to {@code workflows}
   * @param workflows the engine running it
   */
  public record Running(Bank bank, Workflow<Transfer> transfer, Workflows workflows) {}

  /**
   * Serves the bank on {@code store} at 127.0.0.1:{@code port} (0: a free port) and returns once
   * the port is bound, the transfers not ended resumed.
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static BankApp start(EventStore store, int port) {
    var registry = new SimpleMeterRegistry();
    Running running = run(store, registry);
    try {
      var handler = new BankHandler(running, new TransferStats(running.transfer(), running.workflows(), registry),
          new AccountHistory(store));
      return new BankApp(ExampleServer.start("bank", handler, port), running.workflows());
    } catch (RuntimeException e) {
      running.workflows().close();
      throw e;
    }
  }

  /**
   * Opens the store in {@code data}, serves the bank on {@code port} and blocks until the JVM is
   * asked to stop (SIGTERM, Ctrl-C); then stops the server, requests in flight finishing, the
   * engine, and closes the store. What {@code chiplog example bank} runs.
   */
  public static void runUntilStopped(Path data, int port) throws InterruptedException {
    var store = FileEventStore.open(data);
    BankApp app;
    try {
      app = start(store, port);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    ExampleServer.runUntilStopped("The bank is serving " + data.toAbsolutePath().normalize() + " at " + app.uri(),
        List.of(app, store));
  }

  /** {@code BankApp [--port 7274] [--data bank-data]}; {@code chiplog example bank} takes the same options. */
  public static void main(String[] args) throws InterruptedException {
    int port = DEFAULT_PORT;
    Path data = Path.of(DEFAULT_DATA);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(valueOf(args, ++i, "--port"));
        case "--data" -> data = Path.of(valueOf(args, ++i, "--data"));
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use [--port N] [--data DIR]");
      }
    }
    runUntilStopped(data, port);
  }

  private static String valueOf(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }
}

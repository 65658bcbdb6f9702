package io.chiplog.examples.bank;

import io.chiplog.store.FileEventStore;
import io.chiplog.workflows.Workflow;
import io.chiplog.workflows.Workflows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;

/**
 * The child JVM of {@link TransferCrashIT}: the bank, its transfer workflow and the engine on a
 * {@link FileEventStore}, starting transfers from several threads until the parent kills it with
 * SIGKILL. At its start the engine resumes the transfers the last child left unended.
 *
 * <p>Arguments: {@code <data directory> <round> <setup: true|false> <threads> <seed>}. With
 * setup, it first opens {@link #ACCOUNTS} accounts, funds each with {@link #FUNDS} cents and
 * closes the first {@link #CLOSED}; the parent asks for it in the first round only.
 *
 * <p>Each thread keeps up to {@link #IN_FLIGHT_MAX} transfers running and starts another as one
 * ends: between random accounts (closed ones too, which refuse the withdrawal or the deposit), a
 * few for more than all the money (an overdraft), a few to an account that does not exist.
 *
 * <p>Its stdout holds only its report, one write per line so that a kill cuts at most the line
 * being written:
 *
 * <ul>
 *   <li>{@code READY <open> <head>}: set up; when the engine started, the log held {@code <open>}
 *       transfers started and not ended (what the last kill interrupted) and ended at {@code
 *       <head>};
 *   <li>{@code STARTED <id>}: the transfer's start is durable;
 *   <li>{@code ENDED <id> <status>}: it ended.
 * </ul>
 */
final class TransferChild {
  static final String READY = "READY";
  static final String STARTED = "STARTED";
  static final String ENDED = "ENDED";
  static final int ACCOUNTS = 12;
  static final int CLOSED = 2;
  static final long FUNDS = 100_000;
  static final int IN_FLIGHT_MAX = 8;
  /** The parent kills it long before; a child still alive then has lost its parent. */
  private static final long LIFETIME_MAX_MILLIS = 120_000;

  private final FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);

  private TransferChild() {}

  /** The account of number {@code i}. */
  static String account(int i) {
    return "a" + i;
  }

  /** Runs until killed; see the class comment. */
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 5) {
      throw new IllegalArgumentException("usage: TransferChild <data directory> <round> <setup> <threads> <seed>");
    }
    new TransferChild().run(Path.of(args[0]), Integer.parseInt(args[1]), Boolean.parseBoolean(args[2]),
        Integer.parseInt(args[3]), Long.parseLong(args[4]));
  }

  private void run(Path data, int round, boolean setup, int threads, long seed) throws InterruptedException {
    // Nothing here is closed: the parent ends this process with SIGKILL, mid-transfer.
    FileEventStore store = FileEventStore.open(data);
    int open = Ledger.open(store).size();
    long head = store.head();
    BankApp.Running running = BankApp.run(store, new SimpleMeterRegistry());
    if (setup) {
      setUp(running.bank());
    }
    print(READY + " " + open + " " + head);
    for (int t = 0; t < threads; t++) {
      String prefix = "r" + round + "-t" + t + "-";
      var random = new SplittableRandom(seed * 31 + t);
      Thread.ofPlatform().daemon().name("transfers-" + t).start(() -> startTransfers(running, prefix, random));
    }
    Thread.sleep(LIFETIME_MAX_MILLIS);
    System.err.println("not killed within " + LIFETIME_MAX_MILLIS + " ms: exiting");
    System.exit(3);
  }

  private static void setUp(Bank bank) {
    for (int i = 0; i < ACCOUNTS; i++) {
      expectDone(bank.open(account(i), "owner of " + account(i)));
      expectDone(bank.deposit(account(i), FUNDS, "fund:" + account(i), /* refund= */ false));
      if (i < CLOSED) {
        expectDone(bank.close(account(i)));
      }
    }
  }

  private static void expectDone(BankAnswer answer) {
    if (!(answer instanceof BankAnswer.Done)) {
      throw new IllegalStateException("setting up the accounts: " + answer);
    }
  }

  private void startTransfers(BankApp.Running running, String prefix, SplittableRandom random) {
    Workflows workflows = running.workflows();
    Workflow<Transfer> transfer = running.transfer();
    var inFlight = new Semaphore(IN_FLIGHT_MAX);
    try {
      for (int n = 0; ; n++) {
        inFlight.acquire();
        String id = prefix + n;
        workflows.start(transfer, id, next(random));
        print(STARTED + " " + id);
        workflows.awaitEnd(transfer, id).whenComplete((ended, error) -> {
          print(ENDED + " " + id + " " + (error == null ? ended.status() : "ERROR " + error));
          inFlight.release();
        });
      }
    } catch (InterruptedException | RuntimeException e) {
      e.printStackTrace();
      System.exit(2);
    }
  }

  /** The next transfer: mostly between random accounts, a few overdrafts and a few to nowhere. */
  private static Transfer next(SplittableRandom random) {
    int from = random.nextInt(ACCOUNTS);
    int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
    int kind = random.nextInt(100);
    if (kind < 5) {
      return new Transfer(account(from), account(to), ACCOUNTS * FUNDS + 1);
    }
    if (kind < 8) {
      return new Transfer(account(from), "nobody", 1 + random.nextLong(FUNDS / 4));
    }
    return new Transfer(account(from), account(to), 1 + random.nextLong(FUNDS / 4));
  }

  private void print(String line) {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (stdout) {
      try {
        stdout.write(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

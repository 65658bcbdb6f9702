package io.chiplog.examples.bank;

import static io.chiplog.examples.bank.BankEvent.accountTag;
import static io.chiplog.examples.bank.BankEvent.operationTag;

import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.examples.bank.BankAnswer.Refusal;
import io.chiplog.model.Commands;
import io.chiplog.model.Decision;
import io.chiplog.model.DecisionContext;
import io.chiplog.model.Outcome;
import io.chiplog.model.Projection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The accounts: each operation is a DCB decision over the account's tag, appended on the
 * condition that nothing was recorded for the account since it was read, so two withdrawals
 * racing for the last euro cannot both pass. Deposits and withdrawals carry an operation key;
 * one retried with its key (a workflow step after a crash, a client after a timeout) finds its
 * event and does nothing again. A key already used for another operation (another account, kind
 * or amount) is refused with {@link Refusal#KEY_REUSED}, so that a reused key never passes for
 * a retry. Keys are global: callers keep theirs apart by prefix (transfers use their step's
 * idempotency key, which starts with {@code transfer:}). Thread-safe.
 */
public final class Bank {
  private final Commands commands;

  /** The bank over the store of {@code commands}. */
  public Bank(Commands commands) {
    this.commands = commands;
  }

  /** Opens an empty account; refused when the id is taken. */
  public BankAnswer open(String account, String owner) {
    if (!BankEvent.ACCOUNT_ID.matcher(account).matches()) {
      return new BankAnswer.Refused(Refusal.INVALID, "an account id is 1 to 64 characters of [A-Za-z0-9_-]");
    }
    return decide("open", account, null, (current, context) -> current.exists()
        ? refuse(Refusal.EXISTS, "account " + account + " exists")
        : accept(new BankEvent.AccountOpened(account, owner, 0)));
  }

  /**
   * Deposits {@code amount} cents; refused when the account is unknown or closed. A refund (a
   * transfer giving back what it withdrew) is taken by a closed account too: the money must go
   * somewhere, and that is where it came from.
   */
  public BankAnswer deposit(String account, long amount, String operation, boolean refund) {
    if (amount <= 0) {
      return new BankAnswer.Refused(Refusal.INVALID, "an amount is a positive number of cents, was " + amount);
    }
    Predicate<BankEvent> same = done -> done instanceof BankEvent.Deposited d && d.account().equals(account)
        && d.amount() == amount && d.refund() == refund;
    return decide("deposit", account, new Operation(operation, same),
        (current, context) -> depositing(current, account, amount, operation, refund));
  }

  /** Withdraws {@code amount} cents; refused when the account is unknown, closed or would go below zero. */
  public BankAnswer withdraw(String account, long amount, String operation) {
    if (amount <= 0) {
      return new BankAnswer.Refused(Refusal.INVALID, "an amount is a positive number of cents, was " + amount);
    }
    Predicate<BankEvent> same = done -> done instanceof BankEvent.Withdrawn w && w.account().equals(account)
        && w.amount() == amount;
    return decide("withdraw", account, new Operation(operation, same),
        (current, context) -> withdrawing(current, account, amount, operation));
  }

  /** The rule of a deposit to {@code current}: the event, or the refusal. */
  static Verdict depositing(Account current, String account, long amount, String operation, boolean refund) {
    if (!current.exists()) {
      return refuse(Refusal.NO_ACCOUNT, "no account " + account);
    }
    if (!current.open() && !refund) {
      return refuse(Refusal.CLOSED, "account " + account + " is closed");
    }
    if (current.balance() > Long.MAX_VALUE - amount) {
      return refuse(Refusal.INVALID, "the balance of " + account + " cannot hold " + amount + " more cents");
    }
    return accept(new BankEvent.Deposited(account, amount, current.balance() + amount, operation, refund));
  }

  /** The rule of a withdrawal from {@code current}: the event, or the refusal. */
  static Verdict withdrawing(Account current, String account, long amount, String operation) {
    if (!current.exists()) {
      return refuse(Refusal.NO_ACCOUNT, "no account " + account);
    }
    if (!current.open()) {
      return refuse(Refusal.CLOSED, "account " + account + " is closed");
    }
    if (current.balance() < amount) {
      return refuse(Refusal.OVERDRAFT, "the balance of " + account + " (" + current.balance() + ") does not cover " + amount);
    }
    return accept(new BankEvent.Withdrawn(account, amount, current.balance() - amount, operation));
  }

  /** Closes the account; its balance stays, and only refunds come in. Closing a closed account is done. */
  public BankAnswer close(String account) {
    return decide("close", account, null, (current, context) -> {
      if (!current.exists()) {
        return refuse(Refusal.NO_ACCOUNT, "no account " + account);
      }
      return current.open() ? accept(new BankEvent.AccountClosed(account, current.balance())) : accept(null);
    });
  }

  /**
   * The account as of now, read from the store (so it includes every operation answered before
   * the read began), with the position it reflects; refused with {@link Refusal#NO_ACCOUNT} when
   * there is no such account.
   */
  public BankAnswer read(String account) {
    return decide("read", account, null, (current, context) -> current.exists()
        ? accept(null)
        : refuse(Refusal.NO_ACCOUNT, "no account " + account));
  }

  /** The account as of now, or null when there is none. */
  public @Nullable Account account(String account) {
    return read(account) instanceof BankAnswer.Done done ? done.account() : null;
  }

  /**
   * The account's state: its last event, the whole of its consistency boundary. Every event
   * tagged with the account is a bank event, so the query names no types.
   */
  static Projection<Account, BankEvent> accountOf(String account) {
    return Projection.last("account", Query.of(QueryItem.tags(accountTag(account))),
        Account.NONE, (state, event) -> Account.after(event));
  }

  /** The event operation {@code key} recorded, if it was done. */
  static Projection<Optional<BankEvent>, BankEvent> done(String operation) {
    return Projection.last("operation",
        Query.of(QueryItem.tags(operationTag(operation))), Optional.empty(),
        (state, event) -> Optional.of(event));
  }

  /** An operation key, and what the event it recorded must be for a call with it to be a retry. */
  private record Operation(String key, Predicate<BankEvent> sameAs) {}

  /** A rule over the account's current state: the event to record, or the refusal. */
  @FunctionalInterface
  private interface Rule {
    Verdict decide(Account current, DecisionContext<BankEvent> context);
  }

  /** A rule's answer: one event (or none), or a refusal. */
  record Verdict(@Nullable BankEvent event, BankAnswer.@Nullable Refused refused) {}

  private static Verdict accept(@Nullable BankEvent event) {
    return new Verdict(event, null);
  }

  private static Verdict refuse(Refusal refusal, String reason) {
    return new Verdict(null, new BankAnswer.Refused(refusal, reason));
  }

  /**
   * Runs {@code rule} as a decision over the account (and the operation key, if any): an
   * operation already done is answered from the current state without a rule run, or refused
   * when its key recorded something else.
   */
  private BankAnswer decide(String name, String account, @Nullable Operation operation, Rule rule) {
    Projection<Account, BankEvent> accountState = accountOf(account);
    Projection<Optional<BankEvent>, BankEvent> operationDone = operation == null ? null : done(operation.key());
    var last = new Verdict[1];
    var read = new Account[1];
    Outcome<BankEvent> outcome = commands.decide(name, accountTag(account), BankTypes.TYPES, context -> {
      var states = context.readAll(operationDone == null ? List.of(accountState) : List.of(accountState, operationDone));
      Account current = states.get(accountState);
      read[0] = current;
      Verdict verdict = operationDone == null ? rule.decide(current, context)
          : states.get(operationDone).map(done -> retried(operation, done)).orElseGet(() -> rule.decide(current, context));
      last[0] = verdict;
      if (verdict.refused() != null) {
        return Decision.reject(verdict.refused().reason());
      }
      return verdict.event() == null ? Decision.accept(List.of()) : Decision.accept(verdict.event());
    });
    return switch (outcome) {
      case Outcome.Rejected<BankEvent> rejected -> last[0].refused();
      case Outcome.Appended<BankEvent> appended -> new BankAnswer.Done(
          appended.events().isEmpty() ? read[0] : Account.after(appended.events().getLast().event()),
          appended.lastPosition());
    };
  }

  /** The verdict on a call whose key recorded {@code done}: nothing to do, or a refused reuse. */
  private static Verdict retried(Operation operation, BankEvent done) {
    return operation.sameAs().test(done)
        ? accept(null)
        : refuse(Refusal.KEY_REUSED, "operation key " + operation.key() + " was used for " + describe(done));
  }

  private static String describe(BankEvent event) {
    return switch (event) {
      case BankEvent.Deposited d -> (d.refund() ? "a refund of " : "a deposit of ") + d.amount() + " to " + d.account();
      case BankEvent.Withdrawn w -> "a withdrawal of " + w.amount() + " from " + w.account();
      case BankEvent.AccountOpened o -> "opening " + o.account();
      case BankEvent.AccountClosed c -> "closing " + c.account();
    };
  }
}

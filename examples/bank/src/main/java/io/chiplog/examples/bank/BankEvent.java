package io.chiplog.examples.bank;

import io.chiplog.model.Tagged;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The events of the bank. Each carries the account's balance after it, so that an account's
 * state is its last event ({@link io.chiplog.model.Projection#last}) however long its history.
 * Tags: {@code account:<id>} on all; {@code operation:<key>} on deposits and withdrawals, so
 * that an operation retried with the same key (a workflow step after a crash) finds it was done.
 */
public sealed interface BankEvent extends Tagged {

  /** The rule for account ids. */
  Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** The account the event is about. */
  String account();

  /** The account's balance after the event, in cents. */
  long balance();

  /** The tag of an account's events. */
  static String accountTag(String account) {
    return "account:" + account;
  }

  /** The tag of the event an operation key produced. */
  static String operationTag(String operation) {
    return "operation:" + operation;
  }

  /** An account was opened, empty. */
  record AccountOpened(String account, String owner, long balance) implements BankEvent {
    @Override
    public Set<String> tags() {
      return Set.of(accountTag(account));
    }
  }

  /**
   * Money came in.
   *
   * @param operation the key that makes a retry of this deposit a no-op
   * @param refund whether it gave back a transfer's withdrawal (accepted even by a closed account)
   */
  record Deposited(String account, long amount, long balance, String operation, boolean refund) implements BankEvent {
    @Override
    public Set<String> tags() {
      return Set.of(accountTag(account), operationTag(operation));
    }
  }

  /** Money went out. */
  record Withdrawn(String account, long amount, long balance, String operation) implements BankEvent {
    @Override
    public Set<String> tags() {
      return Set.of(accountTag(account), operationTag(operation));
    }
  }

  /** The account was closed: no more deposits (but refunds) or withdrawals; its balance stays. */
  record AccountClosed(String account, long balance) implements BankEvent {
    @Override
    public Set<String> tags() {
      return Set.of(accountTag(account));
    }
  }
}

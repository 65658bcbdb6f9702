package io.chiplog.examples.bank;

/**
 * An account as its last event leaves it.
 *
 * @param id its id
 * @param balance in cents, never negative
 * @param open whether it takes deposits and withdrawals
 */
public record Account(String id, long balance, boolean open) {

  /** What a projection starts from: no account yet. */
  static final Account NONE = new Account("", 0, false);

  /** The account after {@code event}. */
  static Account after(BankEvent event) {
    return new Account(event.account(), event.balance(), !(event instanceof BankEvent.AccountClosed));
  }

  /** Whether the account exists. */
  boolean exists() {
    return !id.isEmpty();
  }
}

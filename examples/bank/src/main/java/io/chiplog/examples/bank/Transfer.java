package io.chiplog.examples.bank;

/**
 * A transfer's state, the state of its workflow instance.
 *
 * @param from the account debited
 * @param to the account credited
 * @param amount in cents, positive
 */
public record Transfer(String from, String to, long amount) {
  /** Checks the values. */
  public Transfer {
    if (amount <= 0) {
      throw new IllegalArgumentException("an amount is a positive number of cents, was " + amount);
    }
    if (from.equals(to)) {
      throw new IllegalArgumentException("a transfer needs two different accounts, got " + from + " twice");
    }
  }
}

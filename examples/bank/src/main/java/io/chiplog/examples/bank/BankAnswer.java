package io.chiplog.examples.bank;

/**
 * What the bank answers to an operation: done, or refused with a reason a client can act on.
 * The HTTP layer maps them to 2xx, 404, 409 and 400.
 */
public sealed interface BankAnswer {

  /**
   * Done (or done before, for an operation retried with its key).
   *
   * @param account the account after it
   * @param position the position of its event (or of the read that found it done): the {@code
   *     minPosition} to read it back
   */
  record Done(Account account, long position) implements BankAnswer {}

  /** Refused; nothing was recorded. */
  record Refused(Refusal refusal, String reason) implements BankAnswer {}

  /** Why an operation was refused. */
  enum Refusal {
    /** The account does not exist. */
    NO_ACCOUNT,
    /** An account with that id exists. */
    EXISTS,
    /** The account is closed. */
    CLOSED,
    /** The balance does not cover the withdrawal. */
    OVERDRAFT,
    /** The operation key was used before for another operation (another account, kind or amount). */
    KEY_REUSED,
    /** The request can never succeed as asked (a negative amount, a balance that would overflow). */
    INVALID
  }
}

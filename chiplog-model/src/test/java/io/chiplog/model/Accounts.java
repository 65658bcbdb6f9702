package io.chiplog.model;

import java.util.Set;

/** A small entity for the tests: an account that refuses overdrafts. */
final class Accounts {
  private Accounts() {}

  sealed interface AccountEvent permits Opened, Deposited, Withdrawn {}

  record Opened(String account, String owner) implements AccountEvent, Tagged {
    @Override
    public Set<String> tags() {
      return Set.of("account:" + account);
    }
  }

  record Deposited(String account, long amount) implements AccountEvent {}

  record Withdrawn(String account, long amount) implements AccountEvent {}

  sealed interface AccountCommand permits Open, Deposit, Withdraw {
    String account();
  }

  record Open(String account, String owner) implements AccountCommand {}

  record Deposit(String account, long amount) implements AccountCommand {}

  record Withdraw(String account, long amount) implements AccountCommand {}

  record Account(boolean open, long balance) {
    static final Account NONE = new Account(false, 0);
  }

  static final EventTypes<AccountEvent> TYPES = EventTypes.of(AccountEvent.class)
      .add("AccountOpened", Opened.class)
      .add("Deposited", Deposited.class, e -> Set.of("account:" + e.account()))
      .add("Withdrawn", Withdrawn.class, e -> Set.of("account:" + e.account()))
      .build();

  static Account evolve(Account state, AccountEvent event) {
    return switch (event) {
      case Opened e -> new Account(true, 0);
      case Deposited e -> new Account(true, state.balance() + e.amount());
      case Withdrawn e -> new Account(true, state.balance() - e.amount());
    };
  }

  static Decision<AccountEvent> decide(Account state, AccountCommand command, CommandContext context) {
    return switch (command) {
      case Open open -> state.open()
          ? Decision.reject("account " + open.account() + " is already open")
          : Decision.accept(new Opened(open.account(), open.owner()));
      case Deposit deposit -> !state.open()
          ? Decision.reject("no account " + deposit.account())
          : Decision.accept(new Deposited(deposit.account(), deposit.amount()));
      case Withdraw withdraw -> {
        if (!state.open()) {
          yield Decision.reject("no account " + withdraw.account());
        }
        yield withdraw.amount() > state.balance()
            ? Decision.reject("overdraft: balance " + state.balance() + ", asked " + withdraw.amount())
            : Decision.accept(new Withdrawn(withdraw.account(), withdraw.amount()));
      }
    };
  }

  static Entity.Builder<Account, AccountCommand, AccountEvent> definition() {
    return Entity.<Account, AccountCommand, AccountEvent>builder("account", TYPES)
        .initial(Account.NONE)
        .evolve(Accounts::evolve)
        .decide(Accounts::decide)
        .stream(command -> "account-" + command.account());
  }

  static final Entity<Account, AccountCommand, AccountEvent> ACCOUNTS = definition().build();
}

package io.chiplog.examples.bank;

import io.chiplog.model.EventTypes;

/** The bank's event registry: the stored type names, stable if the classes move. */
public final class BankTypes {
  /** The registry. */
  public static final EventTypes<BankEvent> TYPES = EventTypes.of(BankEvent.class)
      .add("AccountOpened", BankEvent.AccountOpened.class)
      .add("Deposited", BankEvent.Deposited.class)
      .add("Withdrawn", BankEvent.Withdrawn.class)
      .add("AccountClosed", BankEvent.AccountClosed.class)
      .build();

  private BankTypes() {}
}

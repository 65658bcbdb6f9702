package io.chiplog.examples.bank;

import io.chiplog.workflows.RetryPolicy;
import io.chiplog.workflows.StepContext;
import io.chiplog.workflows.Transition;
import io.chiplog.workflows.Workflow;
import java.time.Duration;

/**
 * A transfer as a workflow: withdraw from {@code from}, then deposit to {@code to}. When the
 * deposit is refused (the account is closed or unknown), the withdrawal's compensation refunds
 * {@code from} and the transfer ends COMPENSATED; when the withdrawal is refused (an overdraft),
 * nothing was done and it ends COMPENSATED with that reason. Each bank operation carries the
 * step's idempotency key, so a step run again after a crash finds its operation done.
 */
public final class TransferWorkflow {
  /** The workflow's name: instances live in streams {@code workflow-transfer-<id>}. */
  public static final String NAME = "transfer";

  private TransferWorkflow() {}

  /** The definition over {@code bank}. */
  public static Workflow<Transfer> define(Bank bank) {
    return Workflow.builder(NAME, Transfer.class)
        .step("withdraw", (transfer, step) -> withdraw(bank, transfer, step), (transfer, step) -> refund(bank, transfer, step))
        .step("deposit", (transfer, step) -> deposit(bank, transfer, step))
        .retry(new RetryPolicy(8, Duration.ofMillis(50), Duration.ofSeconds(2)))
        .build();
  }

  private static Transition<Transfer> withdraw(Bank bank, Transfer transfer, StepContext step) {
    return switch (bank.withdraw(transfer.from(), transfer.amount(), step.idempotencyKey())) {
      case BankAnswer.Done done -> Transition.to("deposit", transfer);
      case BankAnswer.Refused refused -> Transition.fail(refused.refusal() + ": " + refused.reason());
    };
  }

  private static Transition<Transfer> deposit(Bank bank, Transfer transfer, StepContext step) {
    return switch (bank.deposit(transfer.to(), transfer.amount(), step.idempotencyKey(), false)) {
      case BankAnswer.Done done -> Transition.end(transfer);
      case BankAnswer.Refused refused -> Transition.fail(refused.refusal() + ": " + refused.reason());
    };
  }

  private static void refund(Bank bank, Transfer transfer, StepContext step) {
    if (bank.deposit(transfer.from(), transfer.amount(), step.idempotencyKey(), true) instanceof BankAnswer.Refused refused) {
      // Only a vanished account refuses a refund; retrying will not help, but failing makes it visible.
      throw new IllegalStateException("the refund to " + transfer.from() + " was refused: " + refused.reason());
    }
  }
}

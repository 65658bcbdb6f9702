package io.chiplog.examples.bank;

import io.chiplog.model.DecisionContext;
import io.chiplog.workflows.Decided;
import io.chiplog.workflows.RetryPolicy;
import io.chiplog.workflows.StepContext;
import io.chiplog.workflows.Transition;
import io.chiplog.workflows.Workflow;
import java.time.Duration;

/**
 * A transfer as a workflow: withdraw from {@code from}, then deposit to {@code to}.
 *
 * <p>Both are decision steps: the {@code Withdrawn} (or {@code Deposited}) event is appended in
 * the same append as the transfer's transition, on the condition that the account had no event
 * since the step read it. So each happens exactly once, crash or not, and the account can never
 * go below zero. The events join the transfer's stream and carry the account's tag, which is
 * what the account's state is read by.
 *
 * <p>When the deposit is refused (the account is closed or unknown), the withdrawal's
 * compensation refunds {@code from} and the transfer ends COMPENSATED; when the withdrawal is
 * refused (an overdraft), nothing was done and it ends COMPENSATED with that reason. The refund
 * is an operation of the {@link Bank} with the compensation's idempotency key: done once
 * however often it is tried.
 */
public final class TransferWorkflow {
  /** The workflow's name: instances live in streams {@code workflow-transfer-<id>}. */
  public static final String NAME = "transfer";

  private TransferWorkflow() {}

  /** The definition over {@code bank}. */
  public static Workflow<Transfer> define(Bank bank) {
    return Workflow.builder(NAME, Transfer.class)
        .decide("withdraw", BankTypes.TYPES, TransferWorkflow::withdraw, (transfer, step) -> refund(bank, transfer, step))
        .decide("deposit", BankTypes.TYPES, TransferWorkflow::deposit)
        .retry(new RetryPolicy(8, Duration.ofMillis(50), Duration.ofSeconds(2)))
        .build();
  }

  private static Decided<Transfer, BankEvent> withdraw(Transfer transfer, DecisionContext<BankEvent> reads,
      StepContext step) {
    Account from = reads.read(Bank.accountOf(transfer.from()));
    return decided(Bank.withdrawing(from, transfer.from(), transfer.amount(), step.idempotencyKey()),
        Transition.to("deposit", transfer));
  }

  private static Decided<Transfer, BankEvent> deposit(Transfer transfer, DecisionContext<BankEvent> reads,
      StepContext step) {
    Account to = reads.read(Bank.accountOf(transfer.to()));
    return decided(Bank.depositing(to, transfer.to(), transfer.amount(), step.idempotencyKey(), false),
        Transition.end(transfer));
  }

  private static Decided<Transfer, BankEvent> decided(Bank.Verdict verdict, Transition<Transfer> then) {
    BankAnswer.Refused refused = verdict.refused();
    if (refused != null) {
      return Decided.then(Transition.fail(refused.refusal() + ": " + refused.reason()));
    }
    return verdict.event() == null ? Decided.then(then) : Decided.append(then, verdict.event());
  }

  private static void refund(Bank bank, Transfer transfer, StepContext step) {
    if (bank.deposit(transfer.from(), transfer.amount(), step.idempotencyKey(), true) instanceof BankAnswer.Refused refused) {
      // Only a vanished account refuses a refund; retrying will not help, but failing makes it visible.
      throw new IllegalStateException("the refund to " + transfer.from() + " was refused: " + refused.reason());
    }
  }
}

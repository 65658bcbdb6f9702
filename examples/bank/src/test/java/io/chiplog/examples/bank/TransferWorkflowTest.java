package io.chiplog.examples.bank;

import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.memory.InMemoryEventStore;
import io.chiplog.model.Commands;
import io.chiplog.workflows.Workflow;
import io.chiplog.workflows.WorkflowInfo;
import io.chiplog.workflows.WorkflowStatus;
import io.chiplog.workflows.Workflows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransferWorkflowTest {
  private final InMemoryEventStore store = InMemoryEventStore.create();
  private final Bank bank = new Bank(new Commands(store));
  private final Workflow<Transfer> transfer = TransferWorkflow.define(bank);
  private final Workflows workflows = Workflows.builder(store).add(transfer).meterRegistry(new SimpleMeterRegistry()).start();

  @AfterEach
  void close() {
    workflows.close();
    store.close();
  }

  private WorkflowInfo<Transfer> run(String id, String from, String to, long amount) throws Exception {
    workflows.start(transfer, id, new Transfer(from, to, amount));
    return workflows.awaitEnd(transfer, id).get(10, TimeUnit.SECONDS);
  }

  private long balance(String account) {
    Account found = bank.account(account);
    assertThat(found).as(account).isNotNull();
    return found.balance();
  }

  private void fund(String account, long amount) {
    assertThat(bank.open(account, "owner of " + account)).isInstanceOf(BankAnswer.Done.class);
    if (amount > 0) {
      assertThat(bank.deposit(account, amount, "fund-" + account, false)).isInstanceOf(BankAnswer.Done.class);
    }
  }

  @Test
  void aTransferMovesTheMoney() throws Exception {
    fund("alice", 100);
    fund("bob", 0);

    WorkflowInfo<Transfer> done = run("t1", "alice", "bob", 30);

    assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETED);
    assertThat(balance("alice")).isEqualTo(70);
    assertThat(balance("bob")).isEqualTo(30);
  }

  @Test
  void aTransferToAClosedAccountIsRefundedAndEndsCompensated() throws Exception {
    fund("alice", 100);
    fund("carol", 0);
    bank.close("carol");

    WorkflowInfo<Transfer> done = run("t2", "alice", "carol", 40);

    assertThat(done.status()).isEqualTo(WorkflowStatus.COMPENSATED);
    assertThat(done.reason()).isEqualTo("CLOSED: account carol is closed");
    assertThat(balance("alice")).isEqualTo(100);
    assertThat(balance("carol")).isZero();
    assertThat(workflows.history(transfer, "t2")).extracting(e -> e.type()).contains("WorkflowCompensated");
  }

  @Test
  void anOverdraftIsARefusalThatChangesNothing() throws Exception {
    fund("alice", 10);
    fund("bob", 0);

    WorkflowInfo<Transfer> done = run("t3", "alice", "bob", 11);

    assertThat(done.status()).isEqualTo(WorkflowStatus.COMPENSATED);
    assertThat(done.reason()).startsWith("OVERDRAFT");
    assertThat(balance("alice")).isEqualTo(10);
  }

  @Test
  void anOperationRetriedWithItsKeyIsDoneOnce() {
    fund("alice", 100);
    assertThat(bank.withdraw("alice", 60, "op-1")).isInstanceOf(BankAnswer.Done.class);
    assertThat(bank.withdraw("alice", 60, "op-1")).isInstanceOf(BankAnswer.Done.class);
    assertThat(balance("alice")).isEqualTo(40);
  }

  @Test
  void aKeyUsedForAnotherOperationIsRefusedAndChangesNothing() {
    fund("alice", 100);
    fund("bob", 0);
    assertThat(bank.withdraw("alice", 60, "op-1")).isInstanceOf(BankAnswer.Done.class);

    var otherAmount = bank.withdraw("alice", 50, "op-1");
    var otherAccount = bank.withdraw("bob", 60, "op-1");
    var otherKind = bank.deposit("alice", 60, "op-1", false);

    assertThat(List.of(otherAmount, otherAccount, otherKind)).allSatisfy(answer -> assertThat(answer)
        .isEqualTo(new BankAnswer.Refused(BankAnswer.Refusal.KEY_REUSED, "operation key op-1 was used for a withdrawal of 60 from alice")));
    assertThat(balance("alice")).isEqualTo(40);
    assertThat(balance("bob")).isZero();
  }

  @Test
  void aDepositThatWouldOverflowTheBalanceIsRefused() {
    fund("alice", Long.MAX_VALUE - 5);

    assertThat(bank.deposit("alice", 6, "op-big", false))
        .isEqualTo(new BankAnswer.Refused(BankAnswer.Refusal.INVALID, "the balance of alice cannot hold 6 more cents"));
    assertThat(bank.deposit("alice", 5, "op-fits", false)).isInstanceOf(BankAnswer.Done.class);
    assertThat(balance("alice")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void readingAnAccountAnswersItsStateAndThePositionItReflects() {
    fund("alice", 100);
    var withdrawn = (BankAnswer.Done) bank.withdraw("alice", 30, "op-r");

    var read = bank.read("alice");

    assertThat(read).isEqualTo(new BankAnswer.Done(new Account("alice", 70, true), withdrawn.position()));
    assertThat(bank.read("nobody")).isEqualTo(new BankAnswer.Refused(BankAnswer.Refusal.NO_ACCOUNT, "no account nobody"));
  }

  @Test
  void concurrentTransfersConserveTheMoney() throws Exception {
    int accounts = 5;
    for (int i = 0; i < accounts; i++) {
      fund("a" + i, 1_000);
    }
    bank.close("a4");
    var ends = new ArrayList<CompletableFuture<WorkflowInfo<Transfer>>>();
    var random = ThreadLocalRandom.current();
    for (int i = 0; i < 400; i++) {
      int from = random.nextInt(accounts - 1);
      int to = (from + 1 + random.nextInt(accounts - 1)) % accounts;
      workflows.start(transfer, "c" + i, new Transfer("a" + from, "a" + to, 1 + random.nextInt(300)));
      ends.add(workflows.awaitEnd(transfer, "c" + i));
    }
    List<WorkflowStatus> statuses = new ArrayList<>();
    for (var end : ends) {
      statuses.add(end.get(30, TimeUnit.SECONDS).status());
    }

    assertThat(statuses).containsOnly(WorkflowStatus.COMPLETED, WorkflowStatus.COMPENSATED)
        .contains(WorkflowStatus.COMPLETED, WorkflowStatus.COMPENSATED);
    long total = 0;
    for (int i = 0; i < accounts; i++) {
      assertThat(balance("a" + i)).isNotNegative();
      total += balance("a" + i);
    }
    assertThat(total).isEqualTo(accounts * 1_000L);
  }
}

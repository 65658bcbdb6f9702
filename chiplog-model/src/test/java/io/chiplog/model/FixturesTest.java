package io.chiplog.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.model.Accounts.Account;
import io.chiplog.model.Accounts.Deposit;
import io.chiplog.model.Accounts.Deposited;
import io.chiplog.model.Accounts.Opened;
import io.chiplog.model.Accounts.Withdraw;
import io.chiplog.model.Accounts.Withdrawn;
import io.chiplog.model.testing.DecisionFixture;
import io.chiplog.model.testing.Determinism;
import io.chiplog.model.testing.EntityFixture;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fixtures pass what is right and fail, saying why, on what is not. */
class FixturesTest {
  @Test
  void givenWhenThenOnAnEntity() {
    EntityFixture.of(Accounts.ACCOUNTS)
        .given(new Opened("a1", "ann"), new Deposited("a1", 30))
        .when(new Withdraw("a1", 20))
        .thenEvents(new Withdrawn("a1", 20));
    EntityFixture.of(Accounts.ACCOUNTS)
        .given(new Opened("a1", "ann"))
        .when(new Withdraw("a1", 20))
        .thenRejected("overdraft");
  }

  @Test
  void aWrongExpectationFailsWithBothSides() {
    var then = EntityFixture.of(Accounts.ACCOUNTS).given(new Opened("a1", "ann")).when(new Deposit("a1", 5));

    assertThatThrownBy(() -> then.thenEvents(new Deposited("a1", 6)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Deposited[account=a1, amount=6]")
        .hasMessageContaining("Deposited[account=a1, amount=5]");
    assertThatThrownBy(() -> then.thenRejected("overdraft")).isInstanceOf(AssertionError.class);
  }

  @Test
  void theDeterminismCheckCatchesAnEvolveThatReadsTheClock() {
    assertThatThrownBy(() -> Determinism.<Long, Object>check(0L, (state, event) -> System.nanoTime(), List.of("a", "b")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("not deterministic");
    Determinism.check(new Account(false, 0), Accounts::evolve, List.of(new Opened("a", "b"), new Deposited("a", 3)));
  }

  @Test
  void givenWhenThenOnADecision() {
    var types = DecisionTest.TYPES;
    DecisionFixture.of(types)
        .given(new DecisionTest.CategoryOpened("fiction"), new DecisionTest.Numbered("fiction", 1))
        .when(context -> DecisionTest.number(context, "fiction"))
        .thenEvents(new DecisionTest.Numbered("fiction", 2));
    DecisionFixture.of(types)
        .when(context -> DecisionTest.number(context, "fiction"))
        .thenRejected("no category");
  }
}

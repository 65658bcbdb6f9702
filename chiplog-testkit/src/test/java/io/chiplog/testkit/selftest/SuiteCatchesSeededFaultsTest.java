package io.chiplog.testkit.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.chiplog.api.EventStore;
import io.chiplog.testkit.EventStoreContract;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The suite tests itself: run against each seeded fault, it must fail, and run against the
 * fault-free wrapper it must pass. The runs go through the JUnit Platform's test kit, inside this
 * test, so their failures are data here rather than failures of the build.
 */
class SuiteCatchesSeededFaultsTest {
  private static final String FAULT = "chiplog.selftest.fault";

  @ParameterizedTest
  @EnumSource(value = SeededFaults.class, mode = EnumSource.Mode.EXCLUDE, names = "NONE")
  void theSuiteFailsOnEverySeededFault(SeededFaults fault) {
    List<String> failed = runSuiteAgainst(fault);

    assertThat(failed).as("contract tests that failed against %s", fault).isNotEmpty();
    System.out.printf("%s caught by %d tests: %s%n", fault, failed.size(), failed);
  }

  @org.junit.jupiter.api.Test
  void theSuitePassesOnTheFaultFreeWrapper() {
    assertThat(runSuiteAgainst(SeededFaults.NONE)).isEmpty();
  }

  private static List<String> runSuiteAgainst(SeededFaults fault) {
    var events = EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(FaultyStoreSuite.class))
        .configurationParameter(FAULT, fault.name())
        .execute()
        .testEvents();
    assertThat(events.started().count()).as("tests run").isGreaterThanOrEqualTo(60);
    return events.finished().stream()
        .filter(e -> e.getRequiredPayload(TestExecutionResult.class).getStatus() == TestExecutionResult.Status.FAILED)
        .map(Event::getTestDescriptor)
        .map(d -> d.getDisplayName())
        .toList();
  }

  /** The whole suite over the fault named by the configuration; disabled outside the self-test. */
  @ExtendWith(OnlyInSelfTest.class)
  static class FaultyStoreSuite implements EventStoreContract {
    private final SeededFaults fault;

    FaultyStoreSuite() {
      this.fault = SeededFaults.valueOf(System.getProperty(FAULT + ".current", "NONE"));
    }

    @Override
    public EventStore newStore() {
      return fault.newStore();
    }
  }

  /** Enables {@link FaultyStoreSuite} only when the self-test names a fault. */
  static final class OnlyInSelfTest implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(FAULT)
          .map(fault -> {
            System.setProperty(FAULT + ".current", fault);
            return ConditionEvaluationResult.enabled("self-test of fault " + fault);
          })
          .orElse(ConditionEvaluationResult.disabled("runs only inside the suite's self-test"));
    }
  }
}

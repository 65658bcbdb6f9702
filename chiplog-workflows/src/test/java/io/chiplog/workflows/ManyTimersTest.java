package io.chiplog.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.memory.InMemoryEventStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * 100,000 instances waiting on durable timers at once: a timer due soon fires on time although
 * they are pending (the queue does not scan them), and after a restart at a later time every
 * one fires once, at or after its time.
 */
class ManyTimersTest {
  private static final int INSTANCES = 100_000;

  /** A sleeper's state: when it should wake. */
  record Sleeper(long dueAt) {}

  private final LongAdder woken = new LongAdder();
  private final LongAdder early = new LongAdder();

  private Workflow<Sleeper> sleepers() {
    return Workflow.builder("sleeper", Sleeper.class)
        .step("sleep", (sleeper, step) -> Transition.sleep(
            Duration.ofMillis(Math.max(0, sleeper.dueAt() - step.now().toEpochMilli())), "wake", sleeper))
        .step("wake", (sleeper, step) -> {
          if (step.now().toEpochMilli() < sleeper.dueAt()) {
            early.increment();
          }
          woken.increment();
          return Transition.end(sleeper);
        })
        .build();
  }

  @Test
  void aHundredThousandPendingTimersSurviveARestartAndEachFiresOnce() throws Exception {
    try (var store = InMemoryEventStore.create()) {
      Workflow<Sleeper> sleeper = sleepers();
      long dueAt = System.currentTimeMillis() + 60_000;  // far enough to outlive the first engine
      try (var first = Workflows.builder(store).add(sleeper).meterRegistry(new SimpleMeterRegistry()).start();
          ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < INSTANCES; i++) {
          String id = "s" + i;
          starters.execute(() -> first.start(sleeper, id, new Sleeper(dueAt)));
        }
        starters.shutdown();
        assertThat(starters.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
        awaitCount(first, sleeper, INSTANCES);
        assertThat(first.pendingTimers()).isEqualTo(INSTANCES);

        // One more, due soon, does not wait behind the crowd: the queue does not scan it.
        long soon = System.currentTimeMillis() + 200;
        first.start(sleeper, "soon", new Sleeper(soon));
        assertThat(first.awaitEnd(sleeper, "soon").get(10, TimeUnit.SECONDS).status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(System.currentTimeMillis() - soon).as("the lone timer's lateness in ms").isLessThan(1_000);
        assertThat(first.pendingTimers()).isEqualTo(INSTANCES);
      }

      // The second engine starts two minutes later (its clock says so): every timer is due.
      Workflow<Sleeper> again = sleepers();
      InstantSource later = () -> Instant.now().plusSeconds(120);
      try (var second = Workflows.builder(store).add(again).clock(later).meterRegistry(new SimpleMeterRegistry())
          .start()) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (second.count(again, WorkflowStatus.WAITING) + second.count(again, WorkflowStatus.RUNNING) > 0) {
          assertThat(System.nanoTime()).as("all woken in time").isLessThan(deadline);
          Thread.sleep(50);
        }
        assertThat(second.pendingTimers()).isZero();
      }
      assertThat(woken.sum()).isEqualTo(INSTANCES + 1);
      assertThat(early.sum()).isZero();
      Map<String, Integer> firings = new HashMap<>();
      try (Stream<RecordedEvent> fired = store.read(Query.of(QueryItem.types("WorkflowTimerFired")))) {
        fired.forEach(event -> firings.merge(event.stream(), 1, Integer::sum));
      }
      assertThat(firings).hasSize(INSTANCES + 1);
      assertThat(firings.values()).containsOnly(1);
    }
  }

  private static void awaitCount(Workflows engine, Workflow<?> workflow, int waiting) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (engine.count(workflow, WorkflowStatus.WAITING) < waiting) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + engine.count(workflow, WorkflowStatus.WAITING) + " waiting");
      }
      Thread.sleep(20);
    }
  }
}

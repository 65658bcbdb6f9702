package io.chiplog.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.EventSubscription;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StoreIoException;
import io.chiplog.api.memory.InMemoryEventStore;
import io.chiplog.testkit.ForwardingEventStore;
import io.chiplog.workflows.WorkflowsTest.Payment;
import io.chiplog.workflows.WorkflowsTest.Trail;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine under failures: a store that writes an append and then reports it failed (a lost
 * answer), transitions that cannot be recorded, duplicate starts, compensations retrying,
 * signals racing running steps. Each test keeps a promise of docs/workflows.md. (Errors in
 * steps, poison trigger events, unreadable instances and very long timeouts are in {@link
 * WorkflowsTest}.)
 */
class EngineFailuresTest {

  /** Appends matching {@code writeThenFail} are written, then reported failed once (a lost reply). */
  static final class LostReplyStore extends ForwardingEventStore {
    final InMemoryEventStore memory;
    volatile Predicate<AppendRequest> writeThenFail = request -> false;

    LostReplyStore() {
      this(InMemoryEventStore.create());
    }

    private LostReplyStore(InMemoryEventStore memory) {
      super(memory);
      this.memory = memory;
    }

    @Override
    public AppendResult append(AppendRequest request) {
      AppendResult result = memory.append(request);
      if (writeThenFail.test(request)) {
        writeThenFail = r -> false;
        throw new StoreIoException("connection lost after the append was sent");
      }
      return result;
    }
  }

  private final LostReplyStore store = new LostReplyStore();
  private final List<Workflows> engines = new ArrayList<>();

  @AfterEach
  void close() {
    engines.forEach(Workflows::close);
    store.close();
  }

  private Workflows engine(Workflow<?> workflow) {
    Workflows engine = Workflows.builder(store).add(workflow).meterRegistry(new SimpleMeterRegistry()).start();
    engines.add(engine);
    return engine;
  }

  private static boolean hasType(AppendRequest request, String type) {
    return request.events().stream().anyMatch(e -> e.type().equals(type));
  }

  // ---- a transition that cannot be recorded fails the step; its effect does not run again and again

  /** A state whose armed copy Jackson cannot write. */
  record Bomb(boolean armed) {
    @Override
    public boolean armed() {
      if (armed) {
        throw new IllegalStateException("this state cannot be written");
      }
      return false;
    }
  }

  @Test
  void aTransitionThatCannotBeRecordedFailsTheStepInsteadOfRerunningItsEffectForever() throws Exception {
    var effects = new AtomicInteger();
    Workflow<Bomb> flow = Workflow.builder("unwritable", Bomb.class)
        .step("charge", (bomb, step) -> {
          effects.incrementAndGet();
          return Transition.to("done", new Bomb(true));
        })
        .step("done", (bomb, step) -> Transition.end(bomb))
        .retry(RetryPolicy.once())
        .build();
    Workflows engine = engine(flow);
    engine.start(flow, "h", new Bomb(false));

    WorkflowInfo<Bomb> end = engine.awaitEnd(flow, "h").get(10, TimeUnit.SECONDS);
    assertThat(end.status()).isEqualTo(WorkflowStatus.COMPENSATED);
    assertThat(end.reason()).startsWith("step charge failed after 1 attempt");
    assertThat(effects).as("effect runs of one step with RetryPolicy.once()").hasValue(1);
  }

  // ---- a signal whose answer was lost: the instance is read again, not left stale

  @Test
  void aSignalWhoseReplyWasLostIsNotLeftStuck() throws Exception {
    Workflow<Trail> hold = Workflow.builder("hold", Trail.class)
        .step("hold", (t, s) -> Transition.awaitSignal(t.with("hold")))
        .step("confirm", (t, s) -> Transition.end(t.with("confirm")))
        .onSignal("paid", Payment.class, (t, p) -> Transition.to("confirm", t.with("paid")))
        .build();
    Workflows engine = engine(hold);
    engine.start(hold, "s", Trail.empty());
    WorkflowsTest.awaitStatus(engine, hold, "s", WorkflowStatus.WAITING);

    store.writeThenFail = request -> hasType(request, "WorkflowSignalled");
    assertThatThrownBy(() -> engine.signal(hold, "s", "paid", new Payment("ann", 1)))
        .isInstanceOf(StoreIoException.class);
    // The signal is in the store: the instance should go on to confirm and end.
    WorkflowInfo<Trail> end = engine.awaitEnd(hold, "s").get(3, TimeUnit.SECONDS);
    assertThat(end.status()).isEqualTo(WorkflowStatus.COMPLETED);
  }

  @Test
  void retryingASignalWhoseReplyWasLostIsRejectedCleanly() throws Exception {
    Workflow<Trail> hold = Workflow.builder("hold", Trail.class)
        .step("hold", (t, s) -> Transition.awaitSignal(t.with("hold")))
        .step("confirm", (t, s) -> Transition.end(t.with("confirm")))
        .onSignal("paid", Payment.class, (t, p) -> Transition.to("confirm", t.with("paid")))
        .build();
    Workflows engine = engine(hold);
    engine.start(hold, "s", Trail.empty());
    WorkflowsTest.awaitStatus(engine, hold, "s", WorkflowStatus.WAITING);
    store.writeThenFail = request -> hasType(request, "WorkflowSignalled");
    assertThatThrownBy(() -> engine.signal(hold, "s", "paid", new Payment("ann", 1)));

    // The caller retries, as StoreIoException tells it to.
    assertThatThrownBy(() -> engine.signal(hold, "s", "paid", new Payment("ann", 1)))
        .isInstanceOf(SignalRejectedException.class);
  }

  // ---- a start whose answer was lost: the instance in the store runs

  @Test
  void aStartWhoseReplyWasLostStillRuns() throws Exception {
    var runs = new AtomicInteger();
    Workflow<Trail> flow = Workflow.builder("lost", Trail.class)
        .step("a", (t, s) -> {
          runs.incrementAndGet();
          return Transition.end(t);
        })
        .build();
    Workflows engine = engine(flow);
    store.writeThenFail = request -> hasType(request, "WorkflowStarted");
    // The store wrote the start but answered with an error: the engine finds it written and runs it.
    engine.start(flow, "x", Trail.empty());
    // A caller who retries anyway is told it exists...
    assertThatThrownBy(() -> engine.start(flow, "x", Trail.empty())).isInstanceOf(WorkflowExistsException.class);

    // ...so it waits for its end, which must be an end.
    WorkflowInfo<Trail> end = engine.awaitEnd(flow, "x").get(3, TimeUnit.SECONDS);
    assertThat(end.status().isFinal()).as("awaitEnd completed with " + end.status()).isTrue();
    assertThat(runs).hasValue(1);
  }

  // ---- a duplicate start is refused at once and does not hide the ended instance

  @Test
  void aDuplicateStartIsRefusedAtOnceAndDoesNotHideTheEndedInstance() throws Exception {
    var decisions = new AtomicInteger();
    Workflow<Trail> flow = Workflow.builder("dup", Trail.class)
        .decide("take", WorkflowsTest.SEATS, (t, reads, step) -> {
          decisions.incrementAndGet();
          reads.read(WorkflowsTest.taken("z" + step.instanceId()));
          return Decided.append(Transition.end(t), new WorkflowsTest.SeatTaken("z" + step.instanceId(), "me"));
        })
        .build();
    Workflows engine = engine(flow);
    engine.start(flow, "d", Trail.empty());
    assertThat(engine.awaitEnd(flow, "d").get(2, TimeUnit.SECONDS).status()).isEqualTo(WorkflowStatus.COMPLETED);
    decisions.set(0);

    var again = java.util.concurrent.CompletableFuture.runAsync(() -> engine.start(flow, "d", Trail.empty()));
    Thread.sleep(5);
    var end = engine.awaitEnd(flow, "d");
    long began = System.nanoTime();
    assertThatThrownBy(again::join).hasCauseInstanceOf(WorkflowExistsException.class);
    long ms = (System.nanoTime() - began) / 1_000_000;
    assertThat(decisions).as("decisions run by a duplicate start (took " + ms + " ms)").hasValueLessThanOrEqualTo(1);
    assertThat(end.get(1, TimeUnit.SECONDS).status()).as("awaitEnd of an ended instance").isEqualTo(WorkflowStatus.COMPLETED);
  }

  // ---- a compensation waiting for its retry is COMPENSATING

  @Test
  void anInstanceRetryingACompensationIsListedAsCompensating() throws Exception {
    Workflow<Trail> flow = Workflow.builder("undo", Trail.class)
        .step("a", (t, s) -> Transition.to("b", t), (t, s) -> {
          throw new IllegalStateException("down");
        })
        .step("b", (t, s) -> Transition.fail("no"))
        .compensationRetry(new RetryPolicy(5, Duration.ofSeconds(30), Duration.ofSeconds(30)))
        .build();
    Workflows engine = engine(flow);
    engine.start(flow, "u", Trail.empty());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (engine.info(flow, "u").orElseThrow().failedAttempts() == 0) {
      assertThat(System.nanoTime()).as("the compensation's first attempt failed in time").isLessThan(deadline);
      Thread.onSpinWait();
    }
    assertThat(engine.info(flow, "u").orElseThrow().status()).isEqualTo(WorkflowStatus.COMPENSATING);
  }

  // ---- a signal to an instance running a step is refused at once

  @Test
  void aSignalToAnInstanceRunningAStepIsRefusedWithoutWaitingForTheStep() throws Exception {
    var entered = new java.util.concurrent.CountDownLatch(1);
    Workflow<Trail> flow = Workflow.builder("slow", Trail.class)
        .step("call", (t, s) -> {
          entered.countDown();
          Thread.sleep(2_000);
          return Transition.awaitSignal(t);
        })
        .onSignal("paid", Payment.class, (t, p) -> Transition.end(t))
        .build();
    Workflows engine = engine(flow);
    engine.start(flow, "w", Trail.empty());
    entered.await();
    long began = System.nanoTime();
    try {
      engine.signal(flow, "w", "paid", new Payment("ann", 1));
    } catch (SignalRejectedException expected) {
      // refused fast is fine
    }
    assertThat((System.nanoTime() - began) / 1_000_000).as("ms the signal's caller waited").isLessThan(500);
  }
}

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
 * answer), steps that throw errors or cannot be recorded, poison trigger events, unreadable
 * instances, very long timeouts, signals racing running steps. Each test keeps a promise of
 * docs/workflows.md; the pauses observe that something does not happen (a step run again).
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

  // ---- an Error thrown by a step is a failed attempt, under the retry policy

  @Test
  void aStepThrowingAnErrorIsRetriedUnderThePolicyAndFailsForGood() throws Exception {
    var runs = new AtomicInteger();
    Workflow<Trail> flow = Workflow.builder("err", Trail.class)
        .step("a", (t, s) -> {
          runs.incrementAndGet();
          throw new AssertionError("bug in the step");
        })
        .retry(RetryPolicy.once())
        .build();
    Workflows engine = engine(flow);
    engine.start(flow, "e", Trail.empty());
    Thread.sleep(3500);
    assertThat(runs).as("runs of a step with RetryPolicy.once() in 3.5 s").hasValue(1);

    // RetryPolicy.once(): the first failure is for good, so the instance ends COMPENSATED.
    WorkflowInfo<Trail> end = engine.awaitEnd(flow, "e").get(3500, TimeUnit.MILLISECONDS);
    assertThat(end.status()).isEqualTo(WorkflowStatus.COMPENSATED);
  }

  // ---- a transition that cannot be recorded fails the step; its effect does not run again and again

  @Test
  void aTransitionThatCannotBeRecordedFailsTheStepInsteadOfRerunningItsEffectForever() throws Exception {
    var effects = new AtomicInteger();
    Workflow<Trail> flow = Workflow.builder("huge", Trail.class)
        .step("charge", (t, s) -> {
          effects.incrementAndGet();
          return Transition.sleep(Duration.ofSeconds(Long.MAX_VALUE), "done", t);  // toMillis overflows
        })
        .step("done", (t, s) -> Transition.end(t))
        .retry(RetryPolicy.once())
        .build();
    Workflows engine = engine(flow);
    engine.start(flow, "h", Trail.empty());

    Thread.sleep(3500);
    assertThat(effects).as("effect runs of one step with RetryPolicy.once()").hasValue(1);
  }

  // ---- a timeout beyond the clock's range waits instead of wrapping around

  @Test
  void aVeryLongTimeoutDoesNotFireAtOnce() throws Exception {
    Workflow<Trail> hold = Workflow.builder("forever", Trail.class)
        .step("hold", (t, s) -> Transition.awaitSignal(Duration.ofMillis(Long.MAX_VALUE), "release", t))
        .step("release", (t, s) -> Transition.end(t.with("released")))
        .onSignal("paid", Payment.class, (t, p) -> Transition.end(t.with("paid")))
        .build();
    Workflows engine = engine(hold);
    engine.start(hold, "f", Trail.empty());

    Thread.sleep(500);
    assertThat(engine.info(hold, "f").orElseThrow().status()).isEqualTo(WorkflowStatus.WAITING);
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

  // ---- one unreadable instance does not stop the others from resuming

  @Test
  void oneUnreadableInstanceDoesNotStopTheEngineNorLeakAHalfStartedOne() throws Exception {
    var runs = new AtomicInteger();
    Workflow<Trail> flow = Workflow.builder("rec", Trail.class)
        .step("a", (t, s) -> {
          runs.incrementAndGet();
          return Transition.end(t);
        })
        .build();
    // Two instances started by an engine that is closed at once (their steps never ran).
    String good = "{\"id\":\"good\",\"run\":\"a\",\"state\":{\"count\":0,\"seen\":[]}}";
    store.memory.append(AppendRequest.of(new EventData(UUID.randomUUID(), "WorkflowStarted", Set.of("workflow:rec"),
        good.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8)))
        .toStream("workflow-rec-good", ExpectedRevision.noStream()));
    store.memory.append(AppendRequest.of(new EventData(UUID.randomUUID(), "WorkflowStarted", Set.of("workflow:rec"),
        "{\"id\":\"bad\",\"run\":7".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8)))
        .toStream("workflow-rec-bad", ExpectedRevision.noStream()));

    Workflows engine = null;
    Throwable failed = null;
    try {
      engine = engine(flow);
    } catch (RuntimeException e) {
      failed = e;
    }
    Thread.sleep(300);
    if (failed != null) {
      assertThat(runs).as("steps run by a half-started engine nobody can close (start failed: " + failed + ")")
          .hasValue(0);
    }
    assertThat(failed).as("the engine failed to start because of one instance").isNull();
    assertThat(engine).isNotNull();
  }

  // ---- a trigger event that maps to an invalid id is skipped

  @Test
  void aTriggerEventThatCannotStartDoesNotBlockTheOnesAfterIt() throws Exception {
    var types = io.chiplog.model.EventTypes.of(Object.class).add("OrderPlaced", Payment.class).build();
    Workflow<Trail> fulfil = Workflow.builder("fulfil", Trail.class)
        .step("ship", (trail, step) -> Transition.end(trail.with("shipped")))
        .startOn(types, Query.types("OrderPlaced"),
            event -> event instanceof Payment p ? new WorkflowStart<>("order-" + p.by(), Trail.empty()) : null)
        .build();
    store.append(AppendRequest.of(types.encode(new Payment("ann smith", 1))));  // "order-ann smith": not an id
    store.append(AppendRequest.of(types.encode(new Payment("bob", 2))));        // "order-bob": fine
    Workflows engine = engine(fulfil);
    Thread.sleep(2000);
    assertThat(engine.info(fulfil, "order-bob")).as("bob's order, behind ann's bad one").isPresent();
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
    Thread.sleep(500);
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

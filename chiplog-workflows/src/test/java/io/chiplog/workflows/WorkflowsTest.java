package io.chiplog.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.RecordedEvent;
import io.chiplog.api.memory.InMemoryEventStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkflowsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** A workflow's state in these tests: a counter and a trail of what happened. */
  record Trail(int count, List<String> seen) {
    Trail with(String entry) {
      var more = new ArrayList<>(seen);
      more.add(entry);
      return new Trail(count + 1, more);
    }

    static Trail empty() {
      return new Trail(0, List.of());
    }
  }

  record Payment(String by, int amount) {}

  private final InMemoryEventStore store = InMemoryEventStore.create();
  private final List<Workflows> engines = new ArrayList<>();

  @AfterEach
  void close() {
    engines.forEach(Workflows::close);
    store.close();
  }

  private Workflows engine(Workflow<?>... workflows) {
    var builder = Workflows.builder(store).meterRegistry(new SimpleMeterRegistry());
    for (Workflow<?> workflow : workflows) {
      builder.add(workflow);
    }
    Workflows engine = builder.start();
    engines.add(engine);
    return engine;
  }

  private static <S> WorkflowInfo<S> ended(Workflows engine, Workflow<S> workflow, String id) throws Exception {
    return engine.awaitEnd(workflow, id).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static List<String> types(List<RecordedEvent> history) {
    return history.stream().map(RecordedEvent::type).toList();
  }

  @Test
  void stepsRunInOrderAndEachTransitionIsAnEventOfTheInstancesStream() throws Exception {
    Workflow<Trail> flow = Workflow.builder("three", Trail.class)
        .step("a", (trail, step) -> Transition.to("b", trail.with("a")))
        .step("b", (trail, step) -> Transition.to("c", trail.with("b")))
        .step("c", (trail, step) -> Transition.end(trail.with("c")))
        .build();
    Workflows engine = engine(flow);

    engine.start(flow, "one", Trail.empty());
    WorkflowInfo<Trail> done = ended(engine, flow, "one");

    assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETED);
    assertThat(done.state().seen()).containsExactly("a", "b", "c");
    List<RecordedEvent> history = engine.history(flow, "one");
    assertThat(types(history)).containsExactly("WorkflowStarted", "WorkflowStepped", "WorkflowStepped", "WorkflowEnded");
    assertThat(history).allSatisfy(event -> assertThat(event.stream()).isEqualTo("workflow-three-one"));
    assertThat(engine.list(flow, WorkflowStatus.COMPLETED, 10)).extracting(WorkflowInfo::id).containsExactly("one");
    assertThatThrownBy(() -> engine.start(flow, "one", Trail.empty())).isInstanceOf(WorkflowExistsException.class);
  }

  @Test
  void aFailingStepIsRetriedWithTheSameIdempotencyKeyUntilItSucceeds() throws Exception {
    var keys = Collections.synchronizedList(new ArrayList<String>());
    Workflow<Trail> flow = Workflow.builder("flaky", Trail.class)
        .step("call", (trail, step) -> {
          keys.add(step.idempotencyKey());
          if (step.attempt() < 3) {
            throw new IllegalStateException("service unavailable");
          }
          return Transition.end(trail.with("called"));
        })
        .retry(new RetryPolicy(5, Duration.ofMillis(10), Duration.ofMillis(50)))
        .build();
    Workflows engine = engine(flow);

    engine.start(flow, "f", Trail.empty());
    WorkflowInfo<Trail> done = ended(engine, flow, "f");

    assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETED);
    assertThat(keys).hasSize(3).containsOnly(keys.getFirst());
    assertThat(types(engine.history(flow, "f")))
        .containsExactly("WorkflowStarted", "WorkflowStepFailed", "WorkflowStepFailed", "WorkflowEnded");
  }

  @Test
  void aStepFailingForGoodCompensatesTheDoneStepsInReverseOrder() throws Exception {
    var undone = Collections.synchronizedList(new ArrayList<String>());
    Workflow<Trail> flow = Workflow.builder("saga", Trail.class)
        .step("reserve", (trail, step) -> Transition.to("charge", trail.with("reserve")),
            (trail, step) -> undone.add("reserve"))
        .step("notify", (trail, step) -> Transition.to("ship", trail.with("notify")))
        .step("charge", (trail, step) -> Transition.to("notify", trail.with("charge")),
            (trail, step) -> undone.add("charge"))
        .step("ship", (trail, step) -> {
          throw new IllegalStateException("no truck");
        })
        .retry(new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(5)))
        .build();
    Workflows engine = engine(flow);

    engine.start(flow, "s", Trail.empty());
    WorkflowInfo<Trail> done = ended(engine, flow, "s");

    assertThat(done.status()).isEqualTo(WorkflowStatus.COMPENSATED);
    assertThat(done.step()).isEqualTo("ship");
    assertThat(done.reason()).isEqualTo("step ship failed after 2 attempts: IllegalStateException: no truck");
    assertThat(undone).containsExactly("charge", "reserve");
    assertThat(types(engine.history(flow, "s"))).containsExactly("WorkflowStarted", "WorkflowStepped",
        "WorkflowStepped", "WorkflowStepped", "WorkflowStepFailed", "WorkflowStepFailed", "WorkflowCompensating",
        "WorkflowCompensated", "WorkflowCompensated", "WorkflowEnded");
  }

  @Test
  void aFailureDecidedByAStepCompensatesWithoutRetryingAndAFailingCompensationEndsFailed() throws Exception {
    var attempts = new AtomicInteger();
    Workflow<Trail> flow = Workflow.builder("refund", Trail.class)
        .step("withdraw", (trail, step) -> Transition.to("deposit", trail.with("withdraw")),
            (trail, step) -> {
              attempts.incrementAndGet();
              throw new IllegalStateException("bank down");
            })
        .step("deposit", (trail, step) -> Transition.fail("account closed"))
        .compensationRetry(new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(5)))
        .build();
    Workflows engine = engine(flow);

    engine.start(flow, "r", Trail.empty());
    WorkflowInfo<Trail> done = ended(engine, flow, "r");

    assertThat(done.status()).isEqualTo(WorkflowStatus.FAILED);
    assertThat(done.reason()).contains("compensation of withdraw failed after 3 attempts", "after: account closed");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void aTimerFiresAtOrAfterItsTimeOnceAndItsStepRuns() throws Exception {
    Workflow<Trail> flow = Workflow.builder("nap", Trail.class)
        .step("sleep", (trail, step) -> Transition.sleep(Duration.ofMillis(150), "wake", trail.with("sleep")))
        .step("wake", (trail, step) -> Transition.end(trail.with("wake at " + step.now().toEpochMilli())))
        .build();
    Workflows engine = engine(flow);

    long started = System.currentTimeMillis();
    engine.start(flow, "n", Trail.empty());
    WorkflowInfo<Trail> done = ended(engine, flow, "n");

    long woke = Long.parseLong(done.state().seen().get(1).substring("wake at ".length()));
    assertThat(woke - started).isGreaterThanOrEqualTo(150);
    assertThat(types(engine.history(flow, "n")))
        .containsExactly("WorkflowStarted", "WorkflowStepped", "WorkflowTimerFired", "WorkflowEnded");
    assertThat(engine.pendingTimers()).isZero();
  }

  @Test
  void aSignalBeforeTheTimeoutWinsAndCancelsTheTimer() throws Exception {
    Workflow<Trail> hold = holdWorkflow(Duration.ofSeconds(30));
    Workflows engine = engine(hold);
    engine.start(hold, "h", Trail.empty());
    awaitStatus(engine, hold, "h", WorkflowStatus.WAITING);
    assertThat(engine.pendingTimers()).isEqualTo(1);

    engine.signal(hold, "h", "paid", new Payment("ann", 30));
    WorkflowInfo<Trail> done = ended(engine, hold, "h");

    assertThat(done.state().seen()).containsExactly("hold", "paid by ann", "confirm");
    assertThat(engine.pendingTimers()).isZero();
    assertThat(types(engine.history(hold, "h"))).doesNotContain("WorkflowTimerFired");
    assertThatThrownBy(() -> engine.signal(hold, "h", "paid", new Payment("ann", 30)))
        .isInstanceOf(SignalRejectedException.class).hasMessageContaining("ended COMPLETED");
  }

  @Test
  void aTimeoutBeforeTheSignalWinsAndTheLateSignalIsRefused() throws Exception {
    Workflow<Trail> hold = holdWorkflow(Duration.ofMillis(50));
    Workflows engine = engine(hold);
    engine.start(hold, "late", Trail.empty());
    WorkflowInfo<Trail> done = ended(engine, hold, "late");

    assertThat(done.state().seen()).containsExactly("hold", "release");
    assertThatThrownBy(() -> engine.signal(hold, "late", "paid", new Payment("bob", 30)))
        .isInstanceOf(SignalRejectedException.class);
    assertThatThrownBy(() -> engine.signal(hold, "late", "refund", new Payment("bob", 30)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no signal refund");
    assertThatThrownBy(() -> engine.signal(hold, "nobody", "paid", new Payment("bob", 30)))
        .isInstanceOf(WorkflowNotFoundException.class);
  }

  @Test
  void aTimerPendingAcrossARestartFiresOnceAfterIt() throws Exception {
    Workflow<Trail> hold = holdWorkflow(Duration.ofMillis(400));
    Workflows first = engine(hold);
    first.start(hold, "r", Trail.empty());
    awaitStatus(first, hold, "r", WorkflowStatus.WAITING);
    first.close();

    Workflows second = engine(hold);
    assertThat(second.pendingTimers()).isEqualTo(1);
    WorkflowInfo<Trail> done = ended(second, hold, "r");

    assertThat(done.state().seen()).containsExactly("hold", "release");
    assertThat(types(second.history(hold, "r"))).containsOnlyOnce("WorkflowTimerFired");
  }

  @Test
  void aStepInterruptedByShutdownRunsAgainAfterTheRestartWithTheSameKey() throws Exception {
    var keys = Collections.synchronizedList(new ArrayList<String>());
    var entered = new CountDownLatch(1);
    var firstRun = new AtomicInteger();
    Workflow<Trail> flow = Workflow.builder("slow", Trail.class)
        .step("prepare", (trail, step) -> Transition.to("call", trail.with("prepare")))
        .step("call", (trail, step) -> {
          keys.add(step.idempotencyKey());
          if (firstRun.getAndIncrement() == 0) {
            entered.countDown();
            Thread.sleep(60_000);  // interrupted by close
          }
          return Transition.end(trail.with("call"));
        })
        .build();
    Workflows first = engine(flow);
    first.start(flow, "x", Trail.empty());
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    first.close();

    Workflows second = engine(flow);
    WorkflowInfo<Trail> done = ended(second, flow, "x");

    assertThat(done.state().seen()).containsExactly("prepare", "call");
    assertThat(keys).hasSize(2).containsOnly(keys.getFirst());
  }

  @Test
  void aTriggerStartsOneInstancePerEventEvenWhenItSeesTheEventAgain() throws Exception {
    var types = io.chiplog.model.EventTypes.of(Object.class).add("OrderPlaced", Payment.class).build();
    Workflow<Trail> fulfil = Workflow.builder("fulfil", Trail.class)
        .step("ship", (trail, step) -> Transition.end(trail.with("shipped")))
        .startOn(types, io.chiplog.api.Query.types("OrderPlaced"),
            event -> event instanceof Payment p ? new WorkflowStart<>("order-" + p.by(), Trail.empty()) : null)
        .build();
    store.append(io.chiplog.api.AppendRequest.of(types.encode(new Payment("ann", 1))));
    Workflows first = engine(fulfil);
    awaitStatus(first, fulfil, "order-ann", WorkflowStatus.COMPLETED);
    first.close();

    store.append(io.chiplog.api.AppendRequest.of(types.encode(new Payment("bob", 2))));
    Workflows second = engine(fulfil);
    awaitStatus(second, fulfil, "order-bob", WorkflowStatus.COMPLETED);

    assertThat(second.list(fulfil, WorkflowStatus.COMPLETED, 10)).extracting(WorkflowInfo::id)
        .containsExactly("order-bob", "order-ann");
    assertThat(second.history(fulfil, "order-ann")).hasSize(2);
  }

  @Test
  void theMetersCountInstancesByStatusEndsTimersAndSteps() throws Exception {
    var registry = new SimpleMeterRegistry();
    Workflow<Trail> hold = holdWorkflow(Duration.ofSeconds(30));
    Workflows engine = Workflows.builder(store).add(hold).meterRegistry(registry).start();
    engines.add(engine);
    engine.start(hold, "m1", Trail.empty());
    engine.start(hold, "m2", Trail.empty());
    awaitStatus(engine, hold, "m1", WorkflowStatus.WAITING);
    awaitStatus(engine, hold, "m2", WorkflowStatus.WAITING);

    assertThat(registry.get("chiplog.workflow.instances").tags("workflow", "hold", "status", "WAITING").gauge().value())
        .isEqualTo(2);
    assertThat(registry.get("chiplog.workflow.timers.pending").gauge().value()).isEqualTo(2);
    assertThat(engine.list(hold, WorkflowStatus.WAITING, 10)).extracting(WorkflowInfo::id).containsExactly("m1", "m2");

    engine.signal(hold, "m1", "paid", new Payment("ann", 1));
    ended(engine, hold, "m1");

    assertThat(registry.get("chiplog.workflow.instances").tags("status", "WAITING").gauge().value()).isEqualTo(1);
    assertThat(registry.get("chiplog.workflow.ended").tags("status", "COMPLETED").counter().count()).isEqualTo(1);
    assertThat(registry.get("chiplog.workflow.timers.pending").gauge().value()).isEqualTo(1);
    assertThat(registry.get("chiplog.workflow.step").tags("step", "confirm", "outcome", "ok").timer().count()).isEqualTo(1);
    engine.close();
    assertThat(registry.find("chiplog.workflow.instances").gauges()).isEmpty();
  }

  /** A store whose appends to one stream wait for a latch and then fail, as a full disk would. */
  static final class FailingStreamStore extends io.chiplog.testkit.ForwardingEventStore {
    final String stream;
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    FailingStreamStore(String stream) {
      super(InMemoryEventStore.create());
      this.stream = stream;
    }

    @Override
    public io.chiplog.api.AppendResult append(io.chiplog.api.AppendRequest request) {
      if (stream.equals(request.stream())) {
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new io.chiplog.api.StoreIoException("disk full");
      }
      return super.append(request);
    }
  }

  @Test
  void aStartWhoseAppendFailsLeavesNoPhantomAndTellsWhoeverAwaitsIt() throws Exception {
    var failing = new FailingStreamStore("workflow-flow-x");
    Workflow<Trail> flow = Workflow.builder("flow", Trail.class).step("only", (t, s) -> Transition.end(t)).build();
    try (var workflows = Workflows.builder(failing).add(flow).meterRegistry(new SimpleMeterRegistry()).start()) {
      var starting = java.util.concurrent.CompletableFuture.runAsync(() -> workflows.start(flow, "x", Trail.empty()));
      assertThat(failing.entered.await(5, TimeUnit.SECONDS)).isTrue();

      var seenWhileStarting = workflows.info(flow, "x");
      var end = workflows.awaitEnd(flow, "x");
      failing.release.countDown();

      assertThatThrownBy(starting::join).hasRootCauseMessage("disk full");
      assertThat(seenWhileStarting).isEmpty();
      assertThat(workflows.info(flow, "x")).isEmpty();
      assertThat(workflows.list(flow, WorkflowStatus.RUNNING, 10)).isEmpty();
      assertThat(end).failsWithin(2, TimeUnit.SECONDS).withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCauseInstanceOf(WorkflowNotFoundException.class);
    } finally {
      failing.close();
    }
  }

  @Test
  void aTimersDueTimeIsRoundedUpSoItNeverFiresEarlyAndDecisionStepsSeeTheEnginesClock() throws Exception {
    var now = java.time.Instant.parse("2026-01-01T00:00:00Z").plusNanos(999_999);
    Duration timeout = Duration.ofMillis(1).plusNanos(999_999);
    var deadline = java.time.Instant.parse("2026-01-01T00:00:05.000000001Z");
    var seen = new java.util.concurrent.atomic.AtomicReference<java.time.Instant>();
    Workflow<Trail> flow = Workflow.builder("clocked", Trail.class)
        .decide("look", SEATS, (trail, reads, step) -> {
          seen.set(reads.now());
          return Decided.then(Transition.to("wait", trail));
        })
        .step("wait", (trail, step) -> trail.seen().isEmpty()
            ? Transition.awaitSignal(timeout, "done", trail)
            : Transition.awaitSignalUntil(deadline, "done", trail))
        .step("done", (trail, step) -> Transition.end(trail))
        .onSignal("go", Payment.class, (trail, payment) -> Transition.end(trail))
        .build();
    Workflows engine = Workflows.builder(store).add(flow).clock(java.time.InstantSource.fixed(now))
        .meterRegistry(new SimpleMeterRegistry()).start();
    engines.add(engine);

    engine.start(flow, "timeout", Trail.empty());
    engine.start(flow, "deadline", Trail.empty().with("x"));
    awaitStatus(engine, flow, "timeout", WorkflowStatus.WAITING);
    awaitStatus(engine, flow, "deadline", WorkflowStatus.WAITING);

    assertThat(engine.info(flow, "timeout").orElseThrow().waitingUntil()).isAfterOrEqualTo(now.plus(timeout))
        .isEqualTo(java.time.Instant.parse("2026-01-01T00:00:00.003Z"));
    assertThat(engine.info(flow, "deadline").orElseThrow().waitingUntil())
        .isEqualTo(java.time.Instant.parse("2026-01-01T00:00:05.001Z"));
    assertThat(seen.get()).isEqualTo(now);
  }

  @Test
  void anErrorThrownByAStepIsAFailedAttemptNotAStoreFailure() throws Exception {
    var runs = new AtomicInteger();
    Workflow<Trail> flow = Workflow.builder("erring", Trail.class)
        .step("assert", (trail, step) -> {
          runs.incrementAndGet();
          throw new AssertionError("broken invariant");
        })
        .retry(RetryPolicy.once())
        .build();
    Workflows engine = engine(flow);
    engine.start(flow, "e", Trail.empty());

    WorkflowInfo<Trail> done = ended(engine, flow, "e");

    assertThat(done.status()).isEqualTo(WorkflowStatus.COMPENSATED);
    assertThat(done.reason()).isEqualTo("step assert failed after 1 attempt: AssertionError: broken invariant");
    assertThat(runs).hasValue(1);
  }

  @Test
  void aTimeoutTooLongForTheClockWaitsRatherThanFiringAtOnce() throws Exception {
    Workflow<Trail> hold = holdWorkflow(Duration.ofSeconds(Long.MAX_VALUE));
    Workflows engine = engine(hold);
    engine.start(hold, "forever", Trail.empty());
    awaitStatus(engine, hold, "forever", WorkflowStatus.WAITING);

    assertThat(engine.info(hold, "forever").orElseThrow().waitingUntil()).isAfter(java.time.Instant.parse("9999-01-01T00:00:00Z"));
    engine.signal(hold, "forever", "paid", new Payment("ann", 1));
    assertThat(ended(engine, hold, "forever").state().seen()).containsExactly("hold", "paid by ann", "confirm");
  }

  @Test
  void aTriggerEventWhoseRuleFailsIsSkippedAndLaterEventsStillStart() throws Exception {
    var types = io.chiplog.model.EventTypes.of(Object.class).add("OrderPlaced", Payment.class).build();
    Workflow<Trail> fulfil = Workflow.builder("fulfil", Trail.class)
        .step("ship", (trail, step) -> Transition.end(trail.with("shipped")))
        .startOn(types, io.chiplog.api.Query.types("OrderPlaced"),
            event -> event instanceof Payment p ? new WorkflowStart<>("order-" + p.by(), Trail.empty()) : null)
        .build();
    store.append(io.chiplog.api.AppendRequest.of(types.encode(new Payment("has space", 1))));
    store.append(io.chiplog.api.AppendRequest.of(types.encode(new Payment("bob", 2))));
    Workflows engine = engine(fulfil);

    awaitStatus(engine, fulfil, "order-bob", WorkflowStatus.COMPLETED);
    assertThat(engine.list(fulfil, WorkflowStatus.COMPLETED, 10)).extracting(WorkflowInfo::id).containsExactly("order-bob");
  }

  @Test
  void anInstanceWhoseStreamDoesNotReadIsLeftAsideAndTheOthersResume() throws Exception {
    Workflow<Trail> hold = holdWorkflow(Duration.ofSeconds(30));
    Workflows first = engine(hold);
    first.start(hold, "good", Trail.empty());
    first.start(hold, "bad", Trail.empty());
    awaitStatus(first, hold, "good", WorkflowStatus.WAITING);
    awaitStatus(first, hold, "bad", WorkflowStatus.WAITING);
    first.close();
    // An event written by hand into one instance's stream, which its fold cannot take.
    store.append(io.chiplog.api.AppendRequest.of(io.chiplog.api.EventData.ofJson("WorkflowStepped", "{}")
        .withTags("workflow:hold")).toStream("workflow-hold-bad"));

    var registry = new SimpleMeterRegistry();
    Workflows second = Workflows.builder(store).add(hold).meterRegistry(registry).start();
    engines.add(second);

    assertThat(second.count(hold, WorkflowStatus.WAITING)).isEqualTo(1);
    assertThat(registry.get("chiplog.workflow.unreadable").gauge().value()).isEqualTo(1);
    second.signal(hold, "good", "paid", new Payment("ann", 1));
    assertThat(ended(second, hold, "good").status()).isEqualTo(WorkflowStatus.COMPLETED);
  }

  @Test
  void badDefinitionsAndIdsAreRefusedClearly() {
    assertThatThrownBy(() -> Workflow.builder("Bad Name", Trail.class)).hasMessageContaining("[a-z0-9_]");
    assertThatThrownBy(() -> Workflow.builder("empty", Trail.class).build()).hasMessageContaining("has no step");
    assertThatThrownBy(() -> Workflow.builder("twice", Trail.class)
        .step("a", (t, s) -> Transition.end(t)).step("a", (t, s) -> Transition.end(t)))
        .hasMessageContaining("defined twice");
    Workflow<Trail> flow = Workflow.builder("ok", Trail.class).step("a", (t, s) -> Transition.end(t)).build();
    Workflows engine = engine(flow);
    assertThatThrownBy(() -> engine.start(flow, "has space", Trail.empty())).hasMessageContaining("instance id");
    Workflow<Trail> other = Workflow.builder("ok", Trail.class).step("a", (t, s) -> Transition.end(t)).build();
    assertThatThrownBy(() -> engine.start(other, "x", Trail.empty())).hasMessageContaining("not the one added");
  }

  @Test
  void aTransitionToAStepThatDoesNotExistFailsTheWorkflowWithTheReason() throws Exception {
    Workflow<Trail> flow = Workflow.builder("typo", Trail.class)
        .step("a", (t, s) -> Transition.to("bee", t))
        .build();
    Workflows engine = engine(flow);
    engine.start(flow, "t", Trail.empty());
    WorkflowInfo<Trail> done = ended(engine, flow, "t");
    assertThat(done.status()).isEqualTo(WorkflowStatus.COMPENSATED);
    assertThat(done.reason()).isEqualTo("a went to step bee, which workflow typo does not have");
  }

  /** A seat, taken by a decision step: the domain event of the tests below. */
  record SeatTaken(String seat, String by) implements io.chiplog.model.Tagged {
    @Override
    public java.util.Set<String> tags() {
      return java.util.Set.of("seat:" + seat);
    }
  }

  static final io.chiplog.model.EventTypes<SeatTaken> SEATS =
      io.chiplog.model.EventTypes.of(SeatTaken.class).add("SeatTaken", SeatTaken.class).build();

  static io.chiplog.model.Projection<Boolean, SeatTaken> taken(String seat) {
    return io.chiplog.model.Projection.last("taken", io.chiplog.api.Query.tags("seat:" + seat), false, (t, e) -> true);
  }

  /** Takes seat {@code state.seen[0]} for the instance, unless it is taken: then fails. */
  static Workflow<Trail> seatWorkflow(Workflow.Step<Trail> afterwards) {
    return Workflow.builder("seats", Trail.class)
        .decide("take", SEATS, (trail, reads, step) -> {
          String seat = trail.seen().getFirst();
          return reads.read(taken(seat))
              ? Decided.then(Transition.fail("seat " + seat + " is taken"))
              : Decided.append(Transition.to("after", trail.with("took")), new SeatTaken(seat, step.instanceId()));
        })
        .step("after", afterwards)
        .build();
  }

  @Test
  void aDecisionStepAppendsItsEventsWithItsTransitionAndRacingInstancesTakeASeatOnce() throws Exception {
    Workflow<Trail> seats = seatWorkflow((trail, step) -> Transition.end(trail));
    Workflows engine = engine(seats);

    for (int i = 0; i < 20; i++) {
      engine.start(seats, "s" + i, new Trail(0, List.of("a1")));
    }
    var statuses = new ArrayList<WorkflowStatus>();
    for (int i = 0; i < 20; i++) {
      statuses.add(ended(engine, seats, "s" + i).status());
    }

    assertThat(statuses).containsOnlyOnce(WorkflowStatus.COMPLETED).contains(WorkflowStatus.COMPENSATED);
    try (var taken = store.read(io.chiplog.api.Query.tags("seat:a1"))) {
      RecordedEvent only = taken.toList().getFirst();
      String winner = only.stream().substring("workflow-seats-".length());
      assertThat(engine.info(seats, winner).orElseThrow().status()).isEqualTo(WorkflowStatus.COMPLETED);
      assertThat(types(engine.history(seats, winner)))
          .containsExactly("WorkflowStarted", "SeatTaken", "WorkflowStepped", "WorkflowEnded");
    }
    try (var taken = store.read(io.chiplog.api.Query.tags("seat:a1"))) {
      assertThat(taken.count()).isEqualTo(1);
    }
  }

  @Test
  void anInstanceWhoseStreamHoldsADecisionStepsEventsResumesAfterARestart() throws Exception {
    var entered = new CountDownLatch(1);
    var runs = new AtomicInteger();
    Workflow<Trail> seats = seatWorkflow((trail, step) -> {
      if (runs.getAndIncrement() == 0) {
        entered.countDown();
        Thread.sleep(60_000);  // interrupted by close
      }
      return Transition.end(trail.with("after"));
    });
    Workflows first = engine(seats);
    first.start(seats, "r", new Trail(0, List.of("b7")));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    first.close();

    Workflows second = engine(seats);
    WorkflowInfo<Trail> done = ended(second, seats, "r");

    assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETED);
    assertThat(done.state().seen()).containsExactly("b7", "took", "after");
    try (var taken = store.read(io.chiplog.api.Query.tags("seat:b7"))) {
      assertThat(taken.count()).isEqualTo(1);
    }
  }

  static Workflow<Trail> holdWorkflow(Duration holdFor) {
    return Workflow.builder("hold", Trail.class)
        .step("hold", (trail, step) -> Transition.awaitSignal(holdFor, "release", trail.with("hold")))
        .step("release", (trail, step) -> Transition.end(trail.with("release")))
        .step("confirm", (trail, step) -> Transition.end(trail.with("confirm")))
        .onSignal("paid", Payment.class, (trail, payment) -> Transition.to("confirm", trail.with("paid by " + payment.by())))
        .build();
  }

  static <S> void awaitStatus(Workflows engine, Workflow<S> workflow, String id, WorkflowStatus status)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (engine.info(workflow, id).map(WorkflowInfo::status).orElse(null) != status) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(id + " never reached " + status + ": " + engine.info(workflow, id));
      }
      Thread.sleep(5);
    }
  }
}

package io.chiplog.workflows.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.api.AppendConflictException;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.ConflictReason;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StoreClosedException;
import io.chiplog.api.StoreIoException;
import io.chiplog.model.Commands;
import io.chiplog.model.Decision;
import io.chiplog.model.ModelOptions;
import io.chiplog.model.Outcome;
import io.chiplog.model.Recorded;
import io.chiplog.workflows.Decided;
import io.chiplog.workflows.RetryPolicy;
import io.chiplog.workflows.internal.TransitionPlanner.Cause;
import io.chiplog.workflows.internal.TransitionPlanner.Plan;
import io.chiplog.workflows.SignalRejectedException;
import io.chiplog.workflows.StepContext;
import io.chiplog.workflows.Transition;
import io.chiplog.workflows.Workflow;
import io.chiplog.workflows.WorkflowException;
import io.chiplog.workflows.WorkflowExistsException;
import io.chiplog.workflows.WorkflowInfo;
import io.chiplog.workflows.WorkflowNotFoundException;
import io.chiplog.workflows.WorkflowStart;
import io.chiplog.workflows.WorkflowStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the instances of one workflow: starts them, runs their due steps (one at a time per
 * instance, on the engine's virtual threads), records each transition in the instance's stream
 * with the revision it read, fires their timers, takes their signals, and resumes them from their
 * streams after a restart.
 *
 * <p>Every transition is appended before the engine acts on it, with the stream revision the
 * instance was folded from: a second writer (another engine on the same store) makes the append
 * fail, and the instance is read again rather than run twice from a stale state.
 */
public final class WorkflowRuntime<S> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkflowRuntime.class);
  private static final long STORE_RETRY_MILLIS = 1_000;
  private static final long PROGRESS_LOG_NANOS = 5_000_000_000L;

  private final Workflow<S> workflow;
  private final EventStore store;
  private final WorkflowCodec codec;
  private final TimerQueue timers;
  private final Commands commands;
  private final ExecutorService executor;
  private final ExecutorService firing;
  private final Semaphore permits;
  private final InstantSource clock;
  private final AtomicInteger pendingTimers = new AtomicInteger();
  private final WorkflowMetrics metrics;
  private final TransitionPlanner<S> planner;
  private final ConcurrentHashMap<String, Instance> active = new ConcurrentHashMap<>();
  private final InstanceLog log;
  private volatile boolean closed;
  private @Nullable TriggerFollower<?, S> trigger;

  /**
   * A runtime for {@code workflow}; {@link #recover} it before use. Steps run on {@code
   * executor} (virtual threads); timers are recorded firing on {@code firing}, platform threads
   * that do not queue behind thousands of runnable steps.
   */
  public WorkflowRuntime(Workflow<S> workflow, EventStore store, WorkflowCodec codec, TimerQueue timers,
      ExecutorService executor, ExecutorService firing, Semaphore permits, InstantSource clock, MeterRegistry registry) {
    this.workflow = workflow;
    this.store = store;
    this.codec = codec;
    this.timers = timers;
    this.executor = executor;
    this.firing = firing;
    this.permits = permits;
    this.clock = clock;
    this.metrics = new WorkflowMetrics(registry, workflow.name(), pendingTimers);
    this.commands = new Commands(store, ModelOptions.builder().clock(clock).meters(registry).build());
    this.log = new InstanceLog(workflow, store, codec);
    this.planner = new TransitionPlanner<>(workflow, codec, clock);
  }

  /** The definition it runs. */
  public Workflow<S> workflow() {
    return workflow;
  }

  // ---- start, recovery -------------------------------------------------------------------

  /**
   * Resumes every instance that has not ended: finds them from the started and ended events of
   * the workflow (their stream names only, nothing decoded), folds each one's stream, and puts
   * it back where it was: its due step dispatched, its timer or retry scheduled.
   */
  public void recover() {
    long began = System.nanoTime();
    Set<String> open = log.openIds();
    int resumed = 0;
    long lastLog = System.nanoTime();
    int unreadable = 0;
    for (String id : open) {
      Instance instance;
      try {
        instance = log.load(id);
      } catch (RuntimeException e) {
        // One instance that does not read (an event changed by hand, a state class changed
        // incompatibly) must not keep the others from running: it is left where it is, and said.
        LOG.error("workflow {} instance {}: cannot be read, so it is not resumed", workflow.name(), id, e);
        unreadable++;
        continue;
      }
      if (instance != null && !instance.status.isFinal()) {
        active.put(id, instance);
        metrics.moved(instance.status, instance.status, true);
        resume(instance);
        resumed++;
      }
      if (System.nanoTime() - lastLog > PROGRESS_LOG_NANOS) {
        lastLog = System.nanoTime();
        LOG.info("workflow {}: resumed {} of {} open instances", workflow.name(), resumed, open.size());
      }
    }
    LOG.info("workflow {}: resumed {} open instances in {} ms{}", workflow.name(), resumed,
        (System.nanoTime() - began) / 1_000_000, unreadable == 0 ? "" : "; " + unreadable + " could not be read");
    metrics.unreadable(unreadable);
  }

  /** Starts following the workflow's trigger, if it has one, from where it left off. */
  public void startTrigger() {
    Workflow.Trigger<?, S> definition = workflow.trigger();
    if (definition != null) {
      trigger = new TriggerFollower<>(definition, this, store, log.lastTriggerPosition() + 1);
      trigger.start();
    }
  }

  /**
   * Starts instance {@code id}: its start is durable on return. When the first step is a
   * decision step, it is decided here and appended with the start, in one append; otherwise (or
   * when that decision cannot be made now) the first step is dispatched.
   *
   * @param triggerPosition the position of the event that started it, if a trigger did
   * @return the position of the last event the start appended
   * @throws WorkflowExistsException when an instance with that id was started before
   */
  public long start(String id, S state, @Nullable Long triggerPosition) {
    WorkflowStart.checkId(id);
    JsonNode tree = codec.toTree(Objects.requireNonNull(state, "state"));
    var instance = new Instance(workflow.name(), id, tree);
    var started = new WorkflowEvent.Started(id, workflow.firstStep(), tree, triggerPosition);
    boolean more;
    long position;
    instance.lock.lock();
    try {
      if (active.putIfAbsent(id, instance) != null) {
        throw new WorkflowExistsException(workflow.name(), id);
      }
      try {
        more = workflow.steps().get(workflow.firstStep()) instanceof Workflow.DecisionStepDefinition<S, ?> first
            ? startDeciding(instance, started, first, state)
            : startOnly(instance, started);
        position = instance.position;
      } catch (AppendConflictException exists) {
        abandon(instance, loadQuietly(id));
        throw new WorkflowExistsException(workflow.name(), id);
      } catch (RuntimeException e) {
        Instance stored = loadQuietly(id);
        if (stored == null) {
          abandon(instance, null);
          throw e;
        }
        // The start was written though its answer was lost (or the read says so): run it.
        LOG.warn("workflow {} instance {}: its start failed ({}) but is in the store; running it", workflow.name(), id,
            e.toString());
        adopt(instance, stored);
        return stored.position;
      }
    } finally {
      instance.lock.unlock();
    }
    if (more) {
      dispatch(instance);
    }
    return position;
  }

  private @Nullable Instance loadQuietly(String id) {
    try {
      return log.load(id);
    } catch (RuntimeException unreadable) {
      return null;
    }
  }

  /**
   * A start that was not recorded: the instance is not run here, and whoever awaited its end
   * hears how it ended ({@code stored}, when an earlier start made it) or that it does not exist.
   */
  private void abandon(Instance instance, @Nullable Instance stored) {
    active.remove(instance.id, instance);
    if (stored != null && stored.status.isFinal()) {
      instance.ended.complete(stored);
    } else {
      instance.ended.completeExceptionally(new WorkflowNotFoundException(workflow.name(), instance.id));
    }
  }

  /** Runs {@code stored} in place of {@code starting}, whose start turned out to be in the store. */
  private void adopt(Instance starting, Instance stored) {
    active.replace(starting.id, starting, stored);
    metrics.moved(stored.status, stored.status, true);
    stored.ended.whenComplete((ended, error) -> starting.ended.complete(stored));
    if (stored.status.isFinal()) {
      active.remove(stored.id, stored);
      stored.ended.complete(stored);
    } else {
      resume(stored);
    }
  }

  private boolean startOnly(Instance instance, WorkflowEvent.Started started) {
    append(instance, started);
    return true;
  }

  /**
   * Decides the first step and appends the start, its events and its transition at once: one
   * append fewer per instance. Whatever keeps it from deciding now (an exception, a conflict, a
   * decision with no events) leaves the step to the engine after a plain start.
   */
  private <E> boolean startDeciding(Instance instance, WorkflowEvent.Started started,
      Workflow.DecisionStepDefinition<S, E> step, S state) {
    var context = new Context(instance, step.name(), 0, 1, false);
    long began = System.nanoTime();
    DecidedInAppend<S, E> done;
    try {
      done = decideInAppend(instance, step, state, context, List.of(started));
    } catch (AppendConflictException conflict) {
      if (conflict.reason() instanceof ConflictReason.RevisionMismatch) {
        throw conflict;  // the instance exists
      }
      return startOnly(instance, started);
    } catch (RuntimeException notNow) {
      return startOnly(instance, started);
    }
    if (done.appended().events().isEmpty()) {
      return startOnly(instance, started);
    }
    metrics.step(step.name(), true, System.nanoTime() - began);
    Recorded<E> first = done.appended().events().getFirst();
    applyAppended(instance, List.of(started), first.revision() - 1, first.position() - 1);
    return applyTransition(instance, done);
  }

  private void resume(Instance instance) {
    switch (instance.status) {
      case WAITING -> scheduleWait(instance);
      case COMPLETED, COMPENSATED, FAILED -> { }
      default -> {
        if (instance.notBefore > 0) {
          scheduleRetry(instance);
        } else {
          dispatch(instance);
        }
      }
    }
  }

  // ---- running steps ---------------------------------------------------------------------

  private void dispatch(Instance instance) {
    if (!closed) {
      executor.execute(() -> advance(instance));
    }
  }

  /** Runs the instance's due steps until it waits, backs off or ends. */
  private void advance(Instance instance) {
    if (closed) {
      return;
    }
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      return;
    }
    instance.lock.lock();
    try {
      while (!closed && isCurrent(instance) && isDue(instance)) {
        if (!(instance.compensating() ? compensateOne(instance) : stepOnce(instance))) {
          break;
        }
      }
    } catch (RuntimeException | Error e) {
      storeFailed(instance, e, () -> dispatch(instance));
    } finally {
      instance.lock.unlock();
      permits.release();
    }
  }

  /** Whether {@code instance} is the one the engine runs for its id (not one replaced after a conflict). */
  private boolean isCurrent(Instance instance) {
    return active.get(instance.id) == instance;
  }

  /**
   * The store did not take a transition: another writer moved the stream (read the instance
   * again), the engine is closing (the restart resumes it), or the store failed (try {@code
   * again} in a second; the instance keeps its state, so nothing is lost).
   */
  private void storeFailed(Instance instance, Throwable failure, Runnable again) {
    if (failure instanceof VirtualMachineError fatal) {
      throw fatal;
    }
    if (failure instanceof AppendConflictException conflict) {
      reloadAfterConflict(instance, conflict);
    } else if (!closed && !(failure instanceof StoreClosedException)) {
      LOG.warn("workflow {} instance {}: cannot record its transition, trying again in {} ms",
          workflow.name(), instance.id, STORE_RETRY_MILLIS, failure);
      instance.timer = timers.schedule(clock.millis() + STORE_RETRY_MILLIS, pendingTimers, again);
    }
  }

  private boolean isDue(Instance instance) {
    if (instance.status.isFinal() || instance.status == WorkflowStatus.WAITING) {
      return false;
    }
    if (instance.notBefore > clock.millis()) {
      scheduleRetry(instance);
      return false;
    }
    return true;
  }

  /**
   * Runs the due step once and records what came of it; true when another step is due now.
   * Whatever the step throws, and whatever keeps its transition from being planned (a state
   * Jackson cannot write, a step that does not exist), is a failed attempt; only the store's
   * failures to take the transition go back to {@link #advance}, which tries again.
   */
  private boolean stepOnce(Instance instance) {
    String stepName = instance.step;
    Workflow.StepDefinition<S> step = workflow.steps().get(stepName);
    if (step == null) {
      return failForGood(instance, stepName, "workflow " + workflow.name() + " has no step " + stepName, null);
    }
    int attempt = instance.failedAttempts + 1;
    long began = System.nanoTime();
    Plan plan;
    List<EventData> encoded;
    try {
      S state = codec.fromTree(instance.state, workflow.stateType());
      var context = new Context(instance, attempt, false);
      if (step instanceof Workflow.DecisionStepDefinition<S, ?> decision) {
        boolean more = decideStep(instance, decision, state, context);
        metrics.step(stepName, true, System.nanoTime() - began);
        return more;
      }
      var effect = (Workflow.EffectStep<S>) step;
      Transition<S> transition = Objects.requireNonNull(effect.action().run(state, context),
          "step " + stepName + " returned no transition");
      plan = planner.plan(instance, Cause.step(stepName), transition);
      encoded = log.encode(plan.events());
    } catch (Throwable e) {
      rethrowIfStoreOrFatal(e);
      metrics.step(stepName, false, System.nanoTime() - began);
      if (closed) {
        return false;  // interrupted by close: the step runs again after the restart
      }
      return attemptFailed(instance, false, attempt, e);
    }
    metrics.step(stepName, true, System.nanoTime() - began);
    appendEncoded(instance, plan.events(), encoded);
    return plan.more();
  }

  /**
   * Lets through what is not the step's failure: the JVM's own ({@link VirtualMachineError}), a
   * closing store, and a conflict on the instance's own stream (another writer: the instance is
   * read again, not failed).
   */
  private static void rethrowIfStoreOrFatal(Throwable e) {
    if (e instanceof VirtualMachineError fatal) {
      throw fatal;
    }
    if (e instanceof StoreClosedException closedStore) {
      throw closedStore;
    }
    if (e instanceof AppendConflictException conflict && conflict.reason() instanceof ConflictReason.RevisionMismatch) {
      throw conflict;
    }
  }

  /**
   * Runs a decision step: its events and the transition they lead to are one append, checked
   * against the decision's boundary and the instance's revision. A conflict on the boundary is
   * decided again (by {@code Commands}), then a failed attempt; one on the instance's stream
   * means another writer.
   */
  private <E> boolean decideStep(Instance instance, Workflow.DecisionStepDefinition<S, E> step, S state,
      StepContext context) {
    DecidedInAppend<S, E> done = decideInAppend(instance, step, state, context, List.of());
    if (done.appended().events().isEmpty()) {
      Plan plan = planner.plan(instance, Cause.step(step.name()), done.decided().then());
      append(instance, plan.events());
      return plan.more();
    }
    return applyTransition(instance, done);
  }

  /**
   * A decision step decided through {@code Commands}: its answer, what was appended, and the
   * plan of its transition (null when it appended nothing).
   */
  private record DecidedInAppend<S, E>(Decided<S, E> decided, Outcome.Appended<E> appended, @Nullable Plan plan) {}

  /**
   * Runs a decision step's body through {@code Commands}, shaping its append into the instance's:
   * {@code before} (a start), the decided events, then the transition's, in the instance's stream
   * at its revision, under the decision's condition. The body always accepts its own events; the
   * transition it answers is kept for the plan.
   */
  private <E> DecidedInAppend<S, E> decideInAppend(Instance instance, Workflow.DecisionStepDefinition<S, E> step,
      S state, StepContext context, List<WorkflowEvent> before) {
    var decided = new AtomicReference<Decided<S, E>>();
    var planned = new AtomicReference<Plan>();
    var appended = (Outcome.Appended<E>) commands.decide(step.name(), null, step.types(), reads -> {
      Decided<S, E> answer = Objects.requireNonNull(step.body().decide(state, reads, context),
          "decision step " + step.name() + " returned nothing");
      decided.set(answer);
      return Decision.accept(answer.events());
    }, request -> {
      Plan plan = planner.plan(instance, Cause.step(step.name()), decided.get().then());
      planned.set(plan);
      var events = new ArrayList<EventData>(log.encode(before));
      events.addAll(request.events());
      events.addAll(log.encode(plan.events()));
      AppendRequest shaped = log.requestFor(instance, events);
      return request.condition() == null ? shaped : shaped.withCondition(request.condition());
    });
    return new DecidedInAppend<>(decided.get(), appended, planned.get());
  }

  /** Folds the transition appended after a decision step's events; true when a step is due now. */
  private <E> boolean applyTransition(Instance instance, DecidedInAppend<S, E> done) {
    Recorded<E> last = done.appended().events().getLast();
    Plan plan = Objects.requireNonNull(done.plan());
    applyAppended(instance, plan.events(), last.revision() + 1, last.position() + 1);
    return plan.more();
  }

  /** Runs the next compensation once; true when another is due now. */
  private boolean compensateOne(Instance instance) {
    String stepName = instance.step;
    Workflow.StepDefinition<S> step = workflow.steps().get(stepName);
    int attempt = instance.failedAttempts + 1;
    long began = System.nanoTime();
    try {
      if (step == null || step.compensation() == null) {
        throw new IllegalStateException("workflow " + workflow.name() + " has no compensation for step " + stepName);
      }
      step.compensation().run(codec.fromTree(instance.state, workflow.stateType()), new Context(instance, attempt, true));
      metrics.step(stepName, true, System.nanoTime() - began);
    } catch (Throwable e) {
      rethrowIfStoreOrFatal(e);
      metrics.step(stepName, false, System.nanoTime() - began);
      if (closed) {
        return false;
      }
      return attemptFailed(instance, true, attempt, e);
    }
    var compensated = new WorkflowEvent.Compensated(stepName);
    if (instance.toCompensate.size() == 1) {
      append(instance, compensated,
          new WorkflowEvent.Ended(WorkflowStatus.COMPENSATED, instance.failedStep, instance.reason, instance.state));
      return false;
    }
    append(instance, compensated);
    return true;
  }

  private boolean attemptFailed(Instance instance, boolean compensation, int attempt, Throwable error) {
    String what = (compensation ? "compensation of " : "step ") + instance.step;
    String described = describe(error);
    RetryPolicy policy = compensation ? workflow.compensationRetry() : workflow.retry();
    if (attempt < policy.attemptsMax()) {
      long retryAt = TransitionPlanner.millisAfter(clock.millis(), policy.backoffAfter(attempt));
      LOG.debug("workflow {} instance {}: {} failed (attempt {}), retrying at {}: {}", workflow.name(), instance.id,
          what, attempt, Instant.ofEpochMilli(retryAt), described);
      append(instance, new WorkflowEvent.StepFailed(instance.step, compensation, attempt, described, retryAt));
      return false;
    }
    var last = new WorkflowEvent.StepFailed(instance.step, compensation, attempt, described, null);
    String reason = what + " failed after " + attempt + (attempt == 1 ? " attempt: " : " attempts: ") + described;
    if (compensation) {
      LOG.error("workflow {} instance {}: {}; it needs a person", workflow.name(), instance.id, reason);
      append(instance, last, new WorkflowEvent.Ended(WorkflowStatus.FAILED, instance.step,
          reason + "; after: " + instance.reason, instance.state));
      return false;
    }
    return failForGood(instance, instance.step, reason, last);
  }

  /**
   * Fails the instance for good at {@code step}: records the compensations to run (the done
   * steps that have one, newest first), or the end when there are none.
   */
  private boolean failForGood(Instance instance, String step, String reason, @Nullable WorkflowEvent first) {
    Plan plan = planner.failure(instance, step, reason, first);
    append(instance, plan.events());
    return plan.more();
  }

  /** Records the transition a signal chose; true when a step is due now. */
  private boolean record(Instance instance, Cause cause, Transition<S> transition) {
    Plan plan = planner.plan(instance, cause, transition);
    append(instance, plan.events());
    return plan.more();
  }

  // ---- timers and signals -----------------------------------------------------------------

  private void scheduleWait(Instance instance) {
    cancelTimer(instance);
    Long until = instance.waitUntil;
    if (until != null) {
      long revision = instance.revision;
      instance.timer = timers.schedule(until, pendingTimers, () -> firing.execute(() -> fire(instance, revision)));
    }
  }

  private void scheduleRetry(Instance instance) {
    cancelTimer(instance);
    instance.timer = timers.schedule(instance.notBefore, pendingTimers, () -> dispatch(instance));
  }

  private static void cancelTimer(Instance instance) {
    TimerQueue.@Nullable Entry timer = instance.timer;
    if (timer != null) {
      timer.cancel();
      instance.timer = null;
    }
  }

  /** The wait's timer of the transition at {@code revision} is due: records it firing, then runs its step. */
  private void fire(Instance instance, long revision) {
    instance.lock.lock();
    try {
      Long due = instance.waitUntil;
      if (closed || !isCurrent(instance) || instance.revision != revision || instance.status != WorkflowStatus.WAITING
          || due == null) {
        return;  // the instance moved on (a signal came first): this timer was cancelled
      }
      append(instance, new WorkflowEvent.TimerFired(due, clock.millis(), Objects.requireNonNull(instance.onTimeout)));
      metrics.timerFired(Duration.ofMillis(Math.max(0, clock.millis() - due)));
    } catch (RuntimeException | Error e) {
      storeFailed(instance, e, () -> firing.execute(() -> fire(instance, revision)));
      return;
    } finally {
      instance.lock.unlock();
    }
    dispatch(instance);
  }

  /**
   * Delivers signal {@code name} to instance {@code id}: its handler decides the transition,
   * which is recorded with the signal in one append, and the timer of the wait is cancelled.
   *
   * @return the position of the last event recorded
   * @throws SignalRejectedException when the instance does not wait for a signal now
   */
  public long signal(String id, String name, Object payload) {
    Workflow.SignalDefinition<S, ?> signal = workflow.signals().get(name);
    if (signal == null) {
      throw new IllegalArgumentException("workflow " + workflow.name() + " has no signal " + name
          + "; its signals: " + workflow.signals().keySet());
    }
    Instance instance = active.get(id);
    if (instance == null || instance.info().revision() < 0) {
      WorkflowInfo<S> stored = info(id).orElseThrow(() -> new WorkflowNotFoundException(workflow.name(), id));
      throw notWaiting(id, name, stored);
    }
    // Refused at once when not waiting, rather than after the step that runs now: it would hold the lock.
    if (!instance.info().acceptsSignals()) {
      throw notWaiting(id, name, typed(instance.info()));
    }
    boolean more;
    long position;
    instance.lock.lock();
    try {
      if (!isCurrent(instance) || instance.status != WorkflowStatus.WAITING || !instance.signalsOpen) {
        throw notWaiting(id, name, info(id).orElseThrow());
      }
      try {
        more = record(instance, Cause.signal(name, codec.toTree(payload)), handle(signal, instance, payload));
      } catch (AppendConflictException conflict) {
        reloadAfterConflict(instance, conflict);
        throw new SignalRejectedException(workflow.name(), id, name, "it moved on meanwhile; nothing was recorded");
      } catch (StoreIoException lost) {
        // The signal may have been written after all: read the instance again rather than guess.
        reloadAfterConflict(instance, null);
        throw lost;
      }
      position = instance.position;
    } finally {
      instance.lock.unlock();
    }
    if (more) {
      dispatch(instance);
    }
    return position;
  }

  private SignalRejectedException notWaiting(String id, String signal, WorkflowInfo<?> info) {
    return new SignalRejectedException(workflow.name(), id, signal, info.status().isFinal()
        ? "it has ended " + info.status()
        : "it is not waiting for a signal (" + info.status() + ", step " + info.step() + ")");
  }

  private <P> Transition<S> handle(Workflow.SignalDefinition<S, P> signal, Instance instance, Object payload) {
    P typed = codec.fromTree(codec.toTree(payload), signal.payloadType());
    return Objects.requireNonNull(signal.handler().on(codec.fromTree(instance.state, workflow.stateType()), typed),
        "the handler of signal " + signal.name() + " returned no transition");
  }

  // ---- the store ----------------------------------------------------------------------------

  /** Appends {@code events} to the instance's stream at the revision it was folded from, then folds them in. */
  private void append(Instance instance, WorkflowEvent... events) {
    append(instance, List.of(events));
  }

  private void append(Instance instance, List<WorkflowEvent> events) {
    appendEncoded(instance, events, log.encode(events));
  }

  private void appendEncoded(Instance instance, List<WorkflowEvent> events, List<EventData> encoded) {
    AppendResult result = log.append(instance, encoded);
    applyAppended(instance, events, result.streamRevision() - (events.size() - 1), result.firstPosition());
  }

  /**
   * Folds {@code events}, stored from {@code revision} and {@code position} on, into the instance,
   * and acts on where that leaves it: a wait's timer or a retry's backoff scheduled, an end
   * announced.
   */
  private void applyAppended(Instance instance, List<WorkflowEvent> events, long revision, long position) {
    boolean isNew = instance.revision < 0;
    WorkflowStatus before = instance.status;
    for (WorkflowEvent event : events) {
      instance.apply(event, revision++, position++);
    }
    metrics.moved(before, instance.status, isNew);
    switch (instance.status) {
      case WAITING -> scheduleWait(instance);
      case COMPLETED, COMPENSATED, FAILED -> {
        cancelTimer(instance);
        active.remove(instance.id, instance);
        instance.ended.complete(instance);
      }
      default -> {
        if (instance.notBefore > 0) {
          scheduleRetry(instance);  // a step (RETRYING) or a compensation (COMPENSATING) backing off
        } else {
          cancelTimer(instance);
        }
      }
    }
  }

  /**
   * Another writer appended to the instance's stream (or an append whose answer was lost may
   * have landed): fold it again from the store and go on from there. A read that fails is tried
   * again in a second, so the instance is never left idle.
   */
  private void reloadAfterConflict(Instance stale, @Nullable AppendConflictException conflict) {
    if (conflict != null) {
      LOG.warn("workflow {} instance {}: its stream moved under it ({}); reading it again. Is a second engine "
          + "running this workflow on the same store?", workflow.name(), stale.id, conflict.getMessage());
    }
    cancelTimer(stale);
    Instance fresh;
    try {
      fresh = log.load(stale.id);
    } catch (RuntimeException e) {
      LOG.warn("workflow {} instance {}: cannot read it again, trying in {} ms", workflow.name(), stale.id,
          STORE_RETRY_MILLIS, e);
      stale.timer = timers.schedule(clock.millis() + STORE_RETRY_MILLIS, pendingTimers,
          () -> executor.execute(() -> reloadAfterConflict(stale, null)));
      return;
    }
    if (fresh == null) {
      if (active.remove(stale.id, stale)) {
        metrics.forget(stale.status);
      }
      stale.ended.completeExceptionally(new WorkflowNotFoundException(workflow.name(), stale.id));
      return;
    }
    if (!active.replace(stale.id, stale, fresh)) {
      return;  // replaced already
    }
    metrics.moved(stale.status, fresh.status, false);
    fresh.ended.whenComplete((ended, error) -> {
      if (error == null) {
        stale.ended.complete(ended);
      } else {
        stale.ended.completeExceptionally(error);
      }
    });
    if (fresh.status.isFinal()) {
      active.remove(stale.id, fresh);
      fresh.ended.complete(fresh);
      return;
    }
    fresh.lock.lock();
    try {
      resume(fresh);
    } finally {
      fresh.lock.unlock();
    }
  }

  // ---- reading ------------------------------------------------------------------------------

  /** Instance {@code id} as of its last transition. */
  public Optional<WorkflowInfo<S>> info(String id) {
    Instance instance = active.get(id);
    if (instance == null || instance.info().revision() < 0) {  // not started, or its start not recorded yet
      instance = log.load(id);
    }
    return instance == null ? Optional.empty() : Optional.of(typed(instance.info()));
  }

  /**
   * Up to {@code limit} instances with {@code status}: those not ended from memory (by id), the
   * ended ones from the store, newest first.
   */
  public List<WorkflowInfo<S>> list(WorkflowStatus status, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    if (!status.isFinal()) {
      return active.values().stream()
          .map(Instance::info)
          .filter(info -> info.status() == status && info.revision() >= 0)
          .sorted(Comparator.comparing(WorkflowInfo::id))
          .limit(limit)
          .map(this::typed)
          .toList();
    }
    return log.endedIds(status, limit).stream().map(this::info).flatMap(Optional::stream).toList();
  }

  /** The events of instance {@code id}'s stream, oldest first. */
  public List<RecordedEvent> history(String id) {
    return log.history(id);
  }

  /** Completes with the instance's final state once it ends (at once if it has). */
  public CompletableFuture<WorkflowInfo<S>> awaitEnd(String id) {
    Instance instance = active.get(id);
    if (instance != null) {
      return instance.ended.thenApply(ended -> typed(ended.info()));
    }
    Optional<WorkflowInfo<S>> stored = info(id);
    if (stored.isEmpty()) {
      return CompletableFuture.failedFuture(new WorkflowNotFoundException(workflow.name(), id));
    }
    if (stored.get().status().isFinal()) {
      return CompletableFuture.completedFuture(stored.get());
    }
    Instance raced = active.get(id);
    if (raced != null) {
      return raced.ended.thenApply(ended -> typed(ended.info()));
    }
    return CompletableFuture.failedFuture(new IllegalStateException("instance " + id + " of workflow " + workflow.name()
        + " has not ended (" + stored.get().status() + ") but is not run by this engine"));
  }

  /** Instances not ended, by status. */
  public int live(WorkflowStatus status) {
    return metrics.live(status);
  }

  /** Timers and retry backoffs pending. */
  public int pendingTimers() {
    return pendingTimers.get();
  }

  private WorkflowInfo<S> typed(WorkflowInfo<JsonNode> raw) {
    S state = raw.state().isNull() ? null : codec.fromTree(raw.state(), workflow.stateType());
    return new WorkflowInfo<>(raw.workflow(), raw.id(), raw.status(), raw.step(), state, raw.waitingUntil(),
        raw.acceptsSignals(), raw.failedAttempts(), raw.reason(), raw.lastError(), raw.revision(), raw.position());
  }

  private static String describe(Throwable error) {
    String message = error.getMessage();
    return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** Stops taking work: steps running finish (their transitions are recorded if the store is open). */
  @Override
  public void close() {
    closed = true;
    TriggerFollower<?, S> following = trigger;
    if (following != null) {
      following.close();
    }
    metrics.close();
  }

  /** Tells whoever still awaits an instance's end that this engine stopped (after its steps finished). */
  public void closeWaiters() {
    for (Instance instance : active.values()) {
      instance.ended.completeExceptionally(new WorkflowException("the engine stopped before instance " + instance.id
          + " of workflow " + workflow.name() + " ended; it resumes at the next start"));
    }
  }

  /** What a step sees of its run. */
  private final class Context implements StepContext {
    private final Instance instance;
    private final String step;
    private final int attempt;
    private final boolean compensating;
    private final long dueSince;

    Context(Instance instance, int attempt, boolean compensating) {
      this(instance, instance.step, instance.dueSince, attempt, compensating);
    }

    Context(Instance instance, String step, long dueSince, int attempt, boolean compensating) {
      this.instance = instance;
      this.step = step;
      this.attempt = attempt;
      this.compensating = compensating;
      this.dueSince = dueSince;
    }

    @Override
    public String workflow() {
      return workflow.name();
    }

    @Override
    public String instanceId() {
      return instance.id;
    }

    @Override
    public String step() {
      return step;
    }

    @Override
    public int attempt() {
      return attempt;
    }

    @Override
    public boolean compensating() {
      return compensating;
    }

    @Override
    public String idempotencyKey() {
      return workflow.name() + ":" + instance.id + ":" + (compensating ? "undo-" : "") + step + ":" + dueSince;
    }

    @Override
    public Instant now() {
      return clock.instant();
    }
  }
}

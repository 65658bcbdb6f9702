package io.chiplog.workflows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chiplog.api.EventStore;
import io.chiplog.api.RecordedEvent;
import io.chiplog.model.EventTypes;
import io.chiplog.workflows.internal.TimerQueue;
import io.chiplog.workflows.internal.WorkflowCodec;
import io.chiplog.workflows.internal.WorkflowRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The workflow engine: runs the instances of its workflows over an {@link EventStore}. Each
 * transition of an instance is an event in its stream ({@code workflow-<name>-<id>}), appended
 * before the engine acts on it; at start the engine folds every instance that has not ended from
 * its stream and resumes it where it was: the step it was in runs again, its timer fires at its
 * time (or at once, if it fell due while the engine was down), its retry waits out its backoff.
 *
 * <pre>{@code
 * try (var workflows = Workflows.builder(store).add(transfer).start()) {
 *   workflows.start(transfer, "t-1", new Transfer("alice", "bob", 100));    // durable on return
 *   WorkflowInfo<Transfer> done = workflows.awaitEnd(transfer, "t-1").join(); // COMPLETED or COMPENSATED
 * }
 * }</pre>
 *
 * <p>Run one engine per workflow and store at a time: a second one would find its appends
 * refused (each is checked against the stream revision it read) and keep reading instances
 * again, but no transition is ever recorded twice. Thread-safe.
 */
public final class Workflows implements AutoCloseable {
  private static final int FIRING_THREADS = 64;

  private final Map<String, WorkflowRuntime<?>> runtimes = new LinkedHashMap<>();
  private final TimerQueue timers;
  private final ExecutorService executor;
  private final ExecutorService firing;

  private Workflows(Builder builder) {
    this.timers = new TimerQueue(builder.clock);
    this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("chiplog-workflow-", 0).factory());
    // Recording a firing waits for its append: enough threads that many can wait on one group
    // commit, platform ones so that they do not queue behind thousands of runnable steps.
    this.firing = Executors.newFixedThreadPool(FIRING_THREADS,
        Thread.ofPlatform().daemon().name("chiplog-workflow-fire-", 0).factory());
    var permits = new Semaphore(builder.concurrencyMax);
    for (Workflow<?> workflow : builder.workflows) {
      runtimes.put(workflow.name(), runtime(workflow, builder, permits));
    }
  }

  private <S> WorkflowRuntime<S> runtime(Workflow<S> workflow, Builder builder, Semaphore permits) {
    return new WorkflowRuntime<>(workflow, builder.store, new WorkflowCodec(workflow.name(), builder.mapper), timers,
        executor, firing, permits, builder.clock, builder.registry);
  }

  private void start() {
    try {
      runtimes.values().forEach(WorkflowRuntime::recover);
      runtimes.values().forEach(WorkflowRuntime::startTrigger);
    } catch (RuntimeException | Error e) {
      close();  // no half-started engine running steps that nobody can stop
      throw e;
    }
  }

  /** Starts building an engine over {@code store}. */
  public static Builder builder(EventStore store) {
    return new Builder(store);
  }

  /**
   * Starts instance {@code id} of {@code workflow} with {@code state}; its first step is due at
   * once. The start is durable when this returns. When the first step is a decision step, it is
   * decided here and recorded in the start's own append (one append fewer per instance).
   *
   * @return the position of the last event the start appended
   * @throws WorkflowExistsException when an instance with that id was started before
   */
  public <S> long start(Workflow<S> workflow, String id, S state) {
    return runtime(workflow).start(id, state, null);
  }

  /**
   * Delivers a signal to a waiting instance: its handler's transition is recorded with the
   * signal, and the wait's timer is cancelled.
   *
   * @param payload converted to the signal's payload class (a map or a record of the same shape will do)
   * @return the position of the last event recorded
   * @throws SignalRejectedException when the instance does not wait for a signal now
   * @throws WorkflowNotFoundException when there is no such instance
   * @throws IllegalArgumentException when the workflow has no such signal
   */
  public <S> long signal(Workflow<S> workflow, String id, String signal, Object payload) {
    return runtime(workflow).signal(id, signal, Objects.requireNonNull(payload, "payload"));
  }

  /** Instance {@code id} as of its last transition, if it exists. */
  public <S> Optional<WorkflowInfo<S>> info(Workflow<S> workflow, String id) {
    return runtime(workflow).info(id);
  }

  /**
   * Up to {@code limit} instances with {@code status}: running ones by id, ended ones newest
   * first.
   */
  public <S> List<WorkflowInfo<S>> list(Workflow<S> workflow, WorkflowStatus status, int limit) {
    return runtime(workflow).list(status, limit);
  }

  /** How many instances not ended have {@code status} (counted as they move, not scanned). */
  public int count(Workflow<?> workflow, WorkflowStatus status) {
    if (status.isFinal()) {
      throw new IllegalArgumentException("only statuses of running instances are counted here; "
          + status + " is in the metric chiplog.workflow.ended");
    }
    return runtime(workflow).live(status);
  }

  /**
   * The instance's history: the events of its stream, oldest first.
   *
   * @throws WorkflowNotFoundException when there is no such instance
   */
  public List<RecordedEvent> history(Workflow<?> workflow, String id) {
    return runtime(workflow).history(id);
  }

  /** Completes once the instance has ended (at once if it has), with its final status and state. */
  public <S> CompletableFuture<WorkflowInfo<S>> awaitEnd(Workflow<S> workflow, String id) {
    return runtime(workflow).awaitEnd(id);
  }

  /** Durable timers (and retry backoffs) waiting to fire, over all the workflows. */
  public int pendingTimers() {
    return runtimes.values().stream().mapToInt(WorkflowRuntime::pendingTimers).sum();
  }

  @SuppressWarnings("unchecked")
  private <S> WorkflowRuntime<S> runtime(Workflow<S> workflow) {
    WorkflowRuntime<?> runtime = runtimes.get(workflow.name());
    if (runtime == null || runtime.workflow() != workflow) {
      throw new IllegalArgumentException("workflow " + workflow.name() + " is not the one added to this engine");
    }
    return (WorkflowRuntime<S>) runtime;
  }

  /**
   * Stops: no new step starts, timers stop firing, and steps running get 5 s to finish (their
   * transitions are recorded); the rest is in the store and resumes at the next start. Close it
   * before the store.
   */
  @Override
  public void close() {
    runtimes.values().forEach(WorkflowRuntime::close);
    timers.close();
    firing.shutdown();
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
      firing.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    runtimes.values().forEach(WorkflowRuntime::closeWaiters);
  }

  /** Builds {@link Workflows}. */
  public static final class Builder {
    private final EventStore store;
    private final List<Workflow<?>> workflows = new java.util.ArrayList<>();
    private MeterRegistry registry = Metrics.globalRegistry;
    private InstantSource clock = InstantSource.system();
    private ObjectMapper mapper = EventTypes.defaultMapper();
    private int concurrencyMax = 1_024;

    private Builder(EventStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** Runs {@code workflow}'s instances. */
    public Builder add(Workflow<?> workflow) {
      if (workflows.stream().anyMatch(added -> added.name().equals(workflow.name()))) {
        throw new IllegalArgumentException("workflow " + workflow.name() + " is added twice");
      }
      workflows.add(workflow);
      return this;
    }

    /** Where the meters go (the global registry unless told). */
    public Builder meterRegistry(MeterRegistry value) {
      registry = Objects.requireNonNull(value, "registry");
      return this;
    }

    /** The clock of timers and backoffs (the system's unless told). */
    public Builder clock(InstantSource value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** How states and payloads are written ({@link EventTypes#defaultMapper()} unless told). */
    public Builder mapper(ObjectMapper value) {
      mapper = Objects.requireNonNull(value, "mapper");
      return this;
    }

    /** How many instances may run steps at once (1,024 unless told); the others queue. */
    public Builder concurrencyMax(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("concurrencyMax must be at least 1, was " + value);
      }
      concurrencyMax = value;
      return this;
    }

    /** Starts the engine: resumes every instance not ended, then follows the triggers. */
    public Workflows start() {
      var engine = new Workflows(this);
      engine.start();
      return engine;
    }
  }
}

package io.chiplog.workflows;

import io.chiplog.api.Query;
import io.chiplog.model.DecisionContext;
import io.chiplog.model.EventTypes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A workflow definition: named steps over a state of type {@code S}, each answering a {@link
 * Transition}; compensations for the steps that need undoing; signals it may wait for; the
 * retry policy; and optionally an event that starts it. Immutable; run it with {@link
 * Workflows}.
 *
 * <pre>{@code
 * Workflow<Transfer> transfer = Workflow.builder("transfer", Transfer.class)
 *     .step("withdraw", (t, step) -> {
 *           bank.withdraw(t.from(), t.amount(), step.idempotencyKey());   // an effect; retried on exceptions
 *           return Transition.to("deposit", t);
 *         },
 *         (t, step) -> bank.deposit(t.from(), t.amount(), step.idempotencyKey()))   // its compensation
 *     .step("deposit", (t, step) -> bank.deposit(t.to(), t.amount(), step.idempotencyKey())
 *         ? Transition.end(t)
 *         : Transition.fail("account " + t.to() + " is closed"))             // refunds: compensates withdraw
 *     .retry(RetryPolicy.attempts(5))
 *     .build();
 * }</pre>
 *
 * <p>Steps run one at a time per instance, in the engine's threads; different instances run in
 * parallel. A step's effect may run more than once (a crash before its transition is recorded
 * runs it again), so the world it calls must de-duplicate by {@link
 * StepContext#idempotencyKey()}. The transitions are exactly once.
 *
 * @param <S> the state: a record Jackson can write and read
 */
public final class Workflow<S> {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");

  private final String name;
  private final Class<S> stateType;
  private final String firstStep;
  private final Map<String, StepDefinition<S>> steps;
  private final Map<String, SignalDefinition<S, ?>> signals;
  private final RetryPolicy retry;
  private final RetryPolicy compensationRetry;
  private final @Nullable Trigger<?, S> trigger;

  private Workflow(Builder<S> builder) {
    this.name = builder.name;
    this.stateType = builder.stateType;
    this.steps = Collections.unmodifiableMap(new LinkedHashMap<>(builder.steps));
    this.signals = Collections.unmodifiableMap(new LinkedHashMap<>(builder.signals));
    this.retry = builder.retry;
    this.compensationRetry = builder.compensationRetry;
    this.trigger = builder.trigger;
    this.firstStep = builder.steps.keySet().iterator().next();
  }

  /**
   * Starts a definition.
   *
   * @param name 1 to 40 characters of {@code [a-z0-9_]}, starting with a letter; names the
   *     instances' streams ({@code workflow-<name>-<id>})
   * @param stateType the state's class, for reading it back from the events
   */
  public static <S> Builder<S> builder(String name, Class<S> stateType) {
    return new Builder<>(name, stateType);
  }

  /** The workflow's name. */
  public String name() {
    return name;
  }

  /** The state's class. */
  public Class<S> stateType() {
    return stateType;
  }

  /** The step a new instance runs first: the first one declared. */
  public String firstStep() {
    return firstStep;
  }

  /** The steps, in the order declared. */
  public Map<String, StepDefinition<S>> steps() {
    return steps;
  }

  /** The signals, by name. */
  public Map<String, SignalDefinition<S, ?>> signals() {
    return signals;
  }

  /** The retry policy of every step. */
  public RetryPolicy retry() {
    return retry;
  }

  /**
   * The retry policy of compensations: they undo what was done, so they try harder than steps
   * ({@link RetryPolicy#COMPENSATION} unless told).
   */
  public RetryPolicy compensationRetry() {
    return compensationRetry;
  }

  /** The rule that starts instances from events, or null when only {@link Workflows#start} does. */
  public @Nullable Trigger<?, S> trigger() {
    return trigger;
  }

  /** The stream of instance {@code id}. */
  public String streamOf(String id) {
    return "workflow-" + name + "-" + id;
  }

  @Override
  public String toString() {
    return "Workflow[" + name + ", steps " + steps.keySet() + ", signals " + signals.keySet() + "]";
  }

  /** A step: what it does and, if it must be undone when a later step fails, how. */
  @FunctionalInterface
  public interface Step<S> {
    /**
     * Runs the step. Throwing retries it under the workflow's {@link RetryPolicy}; the last
     * failure fails the workflow for good, which compensates.
     */
    Transition<S> run(S state, StepContext context) throws Exception;
  }

  /** Undoes a step that was done, when a later one fails for good. */
  @FunctionalInterface
  public interface Compensation<S> {
    /** Undoes; throwing retries it, and the last failure ends the workflow FAILED. */
    void run(S state, StepContext context) throws Exception;
  }

  /**
   * Decides what a signal does to a waiting instance. No effects here: it is decided and
   * recorded in one append; effects belong in the step it leads to.
   */
  @FunctionalInterface
  public interface SignalHandler<S, P> {
    /** The transition the signal causes. */
    Transition<S> on(S state, P payload);
  }

  /** A step as defined: an effect step or a decision step, with its compensation if it has one. */
  public sealed interface StepDefinition<S> {
    /** The step's name. */
    String name();

    /** How to undo the step, or null when it needs no undoing. */
    @Nullable Compensation<S> compensation();
  }

  /** A step that calls the world ({@link Builder#step}): at least once, with an idempotency key. */
  public record EffectStep<S>(String name, Step<S> action, @Nullable Compensation<S> compensation)
      implements StepDefinition<S> {}

  /**
   * A step that is a DCB decision over the store ({@link Builder#decide}): its events and its
   * transition are appended together, exactly once.
   */
  public record DecisionStepDefinition<S, E>(String name, EventTypes<E> types, DecisionStep<S, E> body,
      @Nullable Compensation<S> compensation) implements StepDefinition<S> {}

  /**
   * The body of a decision step: reads what it needs through {@code context} (which makes those
   * reads its consistency boundary) and answers the events to record with the transition. It may
   * run more than once (after a conflict, with fresh reads), so it has no effects.
   */
  @FunctionalInterface
  public interface DecisionStep<S, E> {
    /** Decides the step. */
    Decided<S, E> decide(S state, DecisionContext<E> context, StepContext step);
  }

  /** A signal as defined: its payload's class and its handler. */
  public record SignalDefinition<S, P>(String name, Class<P> payloadType, SignalHandler<S, P> handler) {}

  /**
   * Starts an instance for each event of {@code query}: the engine follows the log from where it
   * left off (its last started instance's event) and starts {@code rule}'s instance unless one
   * with that id exists. Use an id derived from the event, so that seeing it twice starts one.
   */
  public record Trigger<E, S>(EventTypes<E> types, Query query, Function<E, @Nullable WorkflowStart<S>> rule) {}

  /** Builds a {@link Workflow}. */
  public static final class Builder<S> {
    private final String name;
    private final Class<S> stateType;
    private final Map<String, StepDefinition<S>> steps = new LinkedHashMap<>();
    private final Map<String, SignalDefinition<S, ?>> signals = new LinkedHashMap<>();
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private RetryPolicy compensationRetry = RetryPolicy.COMPENSATION;
    private @Nullable Trigger<?, S> trigger;

    private Builder(String name, Class<S> stateType) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "a workflow name is 1 to 40 characters of [a-z0-9_] starting with a letter, was " + name);
      }
      this.name = name;
      this.stateType = Objects.requireNonNull(stateType, "stateType");
    }

    /**
     * Adds a step that calls the world and needs no undoing. The first step added is the one an
     * instance starts with.
     */
    public Builder<S> step(String stepName, Step<S> action) {
      return add(new EffectStep<>(stepName, Objects.requireNonNull(action, "action"), null));
    }

    /** Adds a step that calls the world, and how to undo it. */
    public Builder<S> step(String stepName, Step<S> action, Compensation<S> compensation) {
      return add(new EffectStep<>(stepName, Objects.requireNonNull(action, "action"),
          Objects.requireNonNull(compensation, "compensation")));
    }

    /**
     * Adds a decision step: a DCB decision over the store whose events are appended in the same
     * append as the workflow's transition, on the condition that nothing in its boundary changed
     * since it read, so it is done exactly once, even across crashes. Its events join the
     * instance's stream, with their own tags.
     */
    public <E> Builder<S> decide(String stepName, EventTypes<E> types, DecisionStep<S, E> body) {
      return add(new DecisionStepDefinition<>(stepName, Objects.requireNonNull(types, "types"),
          Objects.requireNonNull(body, "body"), null));
    }

    /** Adds a decision step and how to undo it. */
    public <E> Builder<S> decide(String stepName, EventTypes<E> types, DecisionStep<S, E> body,
        Compensation<S> compensation) {
      return add(new DecisionStepDefinition<>(stepName, Objects.requireNonNull(types, "types"),
          Objects.requireNonNull(body, "body"), Objects.requireNonNull(compensation, "compensation")));
    }

    private Builder<S> add(StepDefinition<S> step) {
      checkName("step", step.name());
      if (steps.putIfAbsent(step.name(), step) != null) {
        throw new IllegalArgumentException("step " + step.name() + " is defined twice in workflow " + name);
      }
      return this;
    }

    /** Accepts signal {@code signalName} with a payload of {@code payloadType} while the instance waits for signals. */
    public <P> Builder<S> onSignal(String signalName, Class<P> payloadType, SignalHandler<S, P> handler) {
      checkName("signal", signalName);
      var signal = new SignalDefinition<>(signalName, Objects.requireNonNull(payloadType, "payloadType"),
          Objects.requireNonNull(handler, "handler"));
      if (signals.putIfAbsent(signalName, signal) != null) {
        throw new IllegalArgumentException("signal " + signalName + " is defined twice in workflow " + name);
      }
      return this;
    }

    /** The retry policy of every step ({@link RetryPolicy#DEFAULT} if not set). */
    public Builder<S> retry(RetryPolicy policy) {
      this.retry = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The retry policy of every compensation ({@link RetryPolicy#COMPENSATION} if not set); the
     * last failure ends the workflow FAILED, for a person to look at.
     */
    public Builder<S> compensationRetry(RetryPolicy policy) {
      this.compensationRetry = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Starts an instance for each event of {@code query} that {@code rule} maps to a start (see {@link Trigger}). */
    public <E> Builder<S> startOn(EventTypes<E> types, Query query, Function<E, @Nullable WorkflowStart<S>> rule) {
      this.trigger = new Trigger<>(types, query, rule);
      return this;
    }

    /**
     * Builds the definition.
     *
     * @throws IllegalArgumentException when it has no step
     */
    public Workflow<S> build() {
      if (steps.isEmpty()) {
        throw new IllegalArgumentException("workflow " + name + " has no step");
      }
      return new Workflow<>(this);
    }

    private static void checkName(String what, String value) {
      if (value == null || value.isEmpty() || value.length() > 64 || !value.chars().allMatch(Builder::isNameChar)) {
        throw new IllegalArgumentException("a " + what + " name is 1 to 64 characters of [A-Za-z0-9_-], was " + value);
      }
    }

    private static boolean isNameChar(int c) {
      return c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-');
    }
  }

}

package io.chiplog.model;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * How {@link Commands} runs: its clock and randomness (for the {@link CommandContext} and the
 * retry jitter), how often it retries a conflict, whether it queues commands with the same
 * consistency key in-process, where snapshots go and where metrics go. Build with {@link
 * #builder()}.
 *
 * @param clock the time a {@link CommandContext} gives
 * @param random the source of ids and jitter; used from many threads, under a lock unless it is
 *     {@link ThreadLocalRandom}, the default
 * @param attemptsMax how many times a command is decided before a conflict is given up on
 * @param backoffInitial the wait before the second attempt; it doubles, with jitter
 * @param backoffMax the longest wait between attempts
 * @param queueByKey whether commands with the same key (an entity's stream, a decision's key)
 *     run one at a time in this process, so they do not conflict with each other
 * @param snapshots where entity snapshots go
 * @param meters where the metrics go
 */
public record ModelOptions(
    InstantSource clock,
    RandomGenerator random,
    int attemptsMax,
    Duration backoffInitial,
    Duration backoffMax,
    boolean queueByKey,
    SnapshotStore snapshots,
    MeterRegistry meters) {

  /** Checks the values. */
  public ModelOptions {
    if (clock == null || random == null || backoffInitial == null || backoffMax == null
        || snapshots == null || meters == null) {
      throw new IllegalArgumentException("model options need every value");
    }
    if (attemptsMax < 1) {
      throw new IllegalArgumentException("attemptsMax must be at least 1, was " + attemptsMax);
    }
  }

  /** The defaults: the system clock, 10 attempts from 1 ms to 100 ms, no queue, snapshots in memory. */
  public static ModelOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ModelOptions}; not thread-safe. */
  public static final class Builder {
    private InstantSource clock = InstantSource.system();
    private RandomGenerator random = ThreadLocalRandom.current();
    private int attemptsMax = 10;
    private Duration backoffInitial = Duration.ofMillis(1);
    private Duration backoffMax = Duration.ofMillis(100);
    private boolean queueByKey;
    private SnapshotStore snapshots = new InMemorySnapshotStore();
    private MeterRegistry meters = new SimpleMeterRegistry();

    private Builder() {}

    /** The clock of the command context. */
    public Builder clock(InstantSource value) {
      clock = value;
      return this;
    }

    /** The source of ids and jitter; give a seeded one for repeatable tests. */
    public Builder random(RandomGenerator value) {
      random = value;
      return this;
    }

    /** How many times a command is decided before a conflict is given up on. */
    public Builder attemptsMax(int value) {
      attemptsMax = value;
      return this;
    }

    /** The first and the longest wait between attempts. */
    public Builder backoff(Duration initial, Duration max) {
      backoffInitial = initial;
      backoffMax = max;
      return this;
    }

    /** Whether commands with the same key run one at a time in this process. */
    public Builder queueByKey(boolean value) {
      queueByKey = value;
      return this;
    }

    /** Where snapshots go. */
    public Builder snapshots(SnapshotStore value) {
      snapshots = value;
      return this;
    }

    /** Where metrics go. */
    public Builder meters(MeterRegistry value) {
      meters = value;
      return this;
    }

    /** Builds the options. */
    public ModelOptions build() {
      return new ModelOptions(clock, random, attemptsMax, backoffInitial, backoffMax, queueByKey, snapshots, meters);
    }
  }
}

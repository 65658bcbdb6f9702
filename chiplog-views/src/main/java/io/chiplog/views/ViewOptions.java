package io.chiplog.views;

import java.time.Duration;
import java.util.Objects;

/**
 * How views run.
 *
 * @param batchSizeMax the most events applied in one transaction of the view store
 * @param idlePoll how long a caught-up runner waits for new events before it checks the head
 *     again; also how late a {@code minPosition} wait on an event the view does not fold can be
 * @param attemptsMax how many times an event whose fold throws is tried before the view stops
 * @param backoffInitial the pause after the first failure; doubled after each
 * @param backoffMax the longest pause, for failing folds and a failing view store
 * @param readWait how long a read with {@code minPosition} waits unless told
 * @param cachedValuesMax how many decoded values a key-value view's runner keeps between batches,
 *     so that a batch reads from the store only keys no recent batch touched (0: none). Set it
 *     to about the number of keys that are hot at once: beyond it, each batch reads its keys
 *     again (one query per key in a SQL store)
 */
public record ViewOptions(
    int batchSizeMax,
    Duration idlePoll,
    int attemptsMax,
    Duration backoffInitial,
    Duration backoffMax,
    Duration readWait,
    int cachedValuesMax) {

  /** Checks the values. */
  public ViewOptions {
    if (batchSizeMax < 1 || attemptsMax < 1) {
      throw new IllegalArgumentException("batchSizeMax and attemptsMax are >= 1");
    }
    if (cachedValuesMax < 0) {
      throw new IllegalArgumentException("cachedValuesMax is >= 0, was " + cachedValuesMax);
    }
    Objects.requireNonNull(idlePoll, "idlePoll");
    Objects.requireNonNull(backoffInitial, "backoffInitial");
    Objects.requireNonNull(backoffMax, "backoffMax");
    Objects.requireNonNull(readWait, "readWait");
  }

  /**
   * 10,000 events per batch, 20 ms idle poll, 5 attempts backing off from 100 ms to 5 s, reads
   * wait 2 s, 65,536 values cached per key-value view. A batch rewrites the view store's pages its keys fall in, so bigger batches cost
   * less per event (docs/benchmarks.md, issue 7); a batch that fails is applied again one event
   * at a time, so they are not unbounded.
   */
  public static ViewOptions defaults() {
    return new ViewOptions(10_000, Duration.ofMillis(20), 5, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(2),
        65_536);
  }

  /** These options with {@code value} events per batch at most. */
  public ViewOptions withBatchSizeMax(int value) {
    return new ViewOptions(value, idlePoll, attemptsMax, backoffInitial, backoffMax, readWait, cachedValuesMax);
  }

  /** These options with {@code attempts} tries per failing event, pausing {@code initial} doubling to {@code max}. */
  public ViewOptions withRetries(int attempts, Duration initial, Duration max) {
    return new ViewOptions(batchSizeMax, idlePoll, attempts, initial, max, readWait, cachedValuesMax);
  }

  /** These options with reads waiting {@code value} for their {@code minPosition}. */
  public ViewOptions withReadWait(Duration value) {
    return new ViewOptions(batchSizeMax, idlePoll, attemptsMax, backoffInitial, backoffMax, value, cachedValuesMax);
  }

  /** These options with {@code value} decoded values kept per key-value view between batches. */
  public ViewOptions withCachedValuesMax(int value) {
    return new ViewOptions(batchSizeMax, idlePoll, attemptsMax, backoffInitial, backoffMax, readWait, value);
  }

  /** The pause after the {@code attempt}-th failure (1-based). */
  public Duration backoff(int attempt) {
    long millis = backoffInitial.toMillis() << Math.min(20, Math.max(0, attempt - 1));
    return Duration.ofMillis(Math.min(millis, backoffMax.toMillis()));
  }
}

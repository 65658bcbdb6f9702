package io.chiplog.api;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A pull-based subscription: the subscriber asks for the next events when it is ready, so a slow
 * subscriber only falls behind; it never makes the store buffer more than {@link
 * #bufferCapacity()} events for it, and never slows writers.
 *
 * <p>It delivers every event matching its query from its start position on, in position order,
 * with no gap and no duplicate: first the stored ones (catch-up), then each new one as it is
 * committed (live), waking the waiting subscriber rather than polling. To resume after a restart,
 * subscribe again from {@link #lastPosition()} + 1.
 *
 * <pre>{@code
 * try (var subscription = store.subscribe(Query.types("BookAdded"), checkpoint + 1)) {
 *   while (running) {
 *     for (RecordedEvent event : subscription.poll(100, Duration.ofSeconds(1))) {
 *       apply(event);
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>One thread at a time may poll; {@link #close()} may be called from any thread.
 */
public interface EventSubscription extends AutoCloseable {

  /**
   * Waits up to {@code timeout} for the next event.
   *
   * @return the next event, or null if none arrived in time
   * @throws InterruptedException when the waiting thread is interrupted
   * @throws StoreClosedException when the store was closed
   * @throws IllegalStateException when this subscription was closed
   */
  @Nullable RecordedEvent poll(Duration timeout) throws InterruptedException;

  /**
   * Waits up to {@code timeout} for at least one event, then returns the ones available without
   * waiting further, at most {@code max}.
   *
   * @return the events, empty if none arrived in time
   * @throws InterruptedException when the waiting thread is interrupted
   * @throws StoreClosedException when the store was closed
   * @throws IllegalStateException when this subscription was closed
   */
  List<RecordedEvent> poll(int max, Duration timeout) throws InterruptedException;

  /**
   * The position of the last event delivered, or the start position minus one before the first.
   * Resume from this plus one.
   */
  long lastPosition();

  /** How many events the subscription holds in memory, fetched but not yet delivered. */
  int bufferedEvents();

  /** The most events the subscription ever holds in memory. */
  int bufferCapacity();

  /** Stops the subscription and releases what it holds; a blocked {@code poll} returns. */
  @Override
  void close();
}

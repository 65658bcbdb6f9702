package io.chiplog.api;

import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * An append-only log of events with a global position: the contract every Chiplog backend
 * implements (the embedded store, PostgreSQL, the HTTP client, and the in-memory reference store
 * {@link io.chiplog.api.memory.InMemoryEventStore}). The behaviour is pinned down by the
 * conformance suite in {@code chiplog-testkit}.
 *
 * <pre>{@code
 * try (EventStore store = InMemoryEventStore.create()) {
 *   var boundary = Query.of(QueryItem.types("BookAdded").withTags("category:fiction"));
 *   long seen;
 *   try (var books = store.read(boundary, ReadOptions.forwards())) {
 *     seen = books.mapToLong(RecordedEvent::position).max().orElse(0);
 *   }
 *   store.append(AppendRequest.of(EventData.ofJson("BookAdded", "{\"number\":7}")
 *           .withTags("category:fiction"))
 *       .withCondition(AppendCondition.failIfEventsMatch(boundary).after(seen)));
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe. Every method throws {@link StoreClosedException} once the
 * store is closed and {@link StoreIoException} when its storage fails.
 */
public interface EventStore extends AutoCloseable {

  /**
   * Appends atomically and returns once the events are durable (under the backend's default
   * policy). The checks run in this order: an exact retry of an earlier append (the same event
   * ids, in the same order, to the same stream) returns that append's result and writes nothing;
   * then the expected revision; then the condition.
   *
   * @throws AppendConflictException when a check fails; nothing was written
   * @throws TooLargeException when an event or the whole append exceeds the store's limits
   */
  AppendResult append(AppendRequest request);

  /**
   * Appends as {@link #append} does, without blocking the caller: the future completes once the
   * events are durable, or exceptionally with the same errors. Backends with group commit make
   * many concurrent asynchronous appends share one flush.
   */
  default CompletableFuture<AppendResult> appendAsync(AppendRequest request) {
    try {
      return CompletableFuture.completedFuture(append(request));
    } catch (ChiplogException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Reads the events matching {@code query}, starting at position {@code options.from()}
   * (inclusive). The stream is lazy on backends that can be; close it (try-with-resources).
   * It reflects the store as of some moment during the read and never shows part of an append.
   */
  Stream<RecordedEvent> read(Query query, ReadOptions options);

  /** Reads every event matching {@code query}, oldest first. */
  default Stream<RecordedEvent> read(Query query) {
    return read(query, ReadOptions.forwards());
  }

  /**
   * Reads the events of one stream, starting at revision {@code options.from()} (inclusive).
   *
   * @throws StreamNotFoundException when the stream has no events
   */
  Stream<RecordedEvent> readStream(String stream, ReadOptions options);

  /** The position of the last committed event, 0 when the store is empty. */
  long head();

  /**
   * Subscribes to the events matching {@code query} from {@code fromPosition} (inclusive): the
   * stored ones, then the new ones as they are committed. Pass 0 or 1 for everything, {@code
   * head() + 1} for only new events.
   */
  EventSubscription subscribe(Query query, long fromPosition);

  /**
   * Closes the store: later calls fail with {@link StoreClosedException}, open subscriptions
   * end. Acknowledged appends stay durable. Closing again does nothing.
   */
  @Override
  void close();
}

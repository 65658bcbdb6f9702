package io.chiplog.testkit;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.EventStore;
import io.chiplog.api.EventSubscription;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import java.util.stream.Stream;

/**
 * An {@link EventStore} that passes every call to a delegate: tests override the one method
 * they change (a seeded fault, another writer acting between a read and an append, a read that
 * fails half-way). Thread-safe as its delegate is.
 */
public class ForwardingEventStore implements EventStore {
  /** The store every call goes to. */
  protected final EventStore delegate;

  /** Passes every call to {@code delegate}. */
  public ForwardingEventStore(EventStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public AppendResult append(AppendRequest request) {
    return delegate.append(request);
  }

  @Override
  public Stream<RecordedEvent> read(Query query, ReadOptions options) {
    return delegate.read(query, options);
  }

  @Override
  public Stream<RecordedEvent> readStream(String stream, ReadOptions options) {
    return delegate.readStream(stream, options);
  }

  @Override
  public long head() {
    return delegate.head();
  }

  @Override
  public EventSubscription subscribe(Query query, long fromPosition) {
    return delegate.subscribe(query, fromPosition);
  }

  @Override
  public void close() {
    delegate.close();
  }
}

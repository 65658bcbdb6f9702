package io.chiplog.model;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.EventStore;
import io.chiplog.api.EventSubscription;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import java.util.stream.Stream;

/** A store that lets a test act between a command's read and its append: another writer. */
final class InterferingStore implements EventStore {
  private final EventStore delegate;
  volatile Runnable beforeAppend = () -> {};

  InterferingStore(EventStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public AppendResult append(AppendRequest request) {
    beforeAppend.run();
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

package io.chiplog.model;

import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.EventStore;
import io.chiplog.testkit.ForwardingEventStore;

/** A store that lets a test act between a command's read and its append: another writer. */
final class InterferingStore extends ForwardingEventStore {
  volatile Runnable beforeAppend = () -> {};

  InterferingStore(EventStore delegate) {
    super(delegate);
  }

  @Override
  public AppendResult append(AppendRequest request) {
    beforeAppend.run();
    return super.append(request);
  }
}

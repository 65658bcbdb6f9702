package io.chiplog.testkit.selftest;

import io.chiplog.api.AppendConflictException;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.EventSubscription;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.memory.InMemoryEventStore;
import io.chiplog.testkit.ForwardingEventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Backends with one deliberate bug each, wrapped around the reference store. The conformance
 * suite must fail on every one of them ({@link SuiteCatchesSeededFaultsTest}).
 */
enum SeededFaults {
  /** A store without a bug: proves the wrapper itself is not what the suite catches. */
  NONE(ForwardingEventStore::new),

  /** Checks a DCB condition against every stored event, ignoring {@code after}. */
  IGNORES_AFTER(store -> new ForwardingEventStore(store) {
    @Override
    public AppendResult append(AppendRequest request) {
      var condition = request.condition();
      return super.append(condition == null ? request : request.withCondition(condition.after(0)));
    }
  }),

  /** Forward reads by query start one position late. */
  OFF_BY_ONE_IN_FROM(store -> new ForwardingEventStore(store) {
    @Override
    public Stream<RecordedEvent> read(Query query, ReadOptions options) {
      return super.read(query, options.isForwards() && options.from() > 0 ? options.from(options.from() + 1) : options);
    }
  }),

  /** When appends overlap in time, now and then acknowledges one without writing it. */
  LOSES_AN_EVENT_UNDER_A_RACE(store -> new ForwardingEventStore(store) {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();

    @Override
    public AppendResult append(AppendRequest request) {
      try {
        if (inFlight.incrementAndGet() > 1 && overlaps.incrementAndGet() % 5 == 0) {
          long head = delegate.head();
          return new AppendResult(head + 1, head + request.size(), request.stream() == null ? -1 : 0);
        }
        return super.append(request);
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }),

  /** Delivers the last event again when a subscription passes from catch-up to live. */
  DUPLICATE_AT_HAND_OVER(store -> new ForwardingEventStore(store) {
    @Override
    public EventSubscription subscribe(Query query, long fromPosition) {
      return new DuplicatingSubscription(super.subscribe(query, fromPosition));
    }
  }),

  /** On a conflict, writes the batch's first event anyway. */
  PARTIAL_BATCH_ON_CONFLICT(store -> new ForwardingEventStore(store) {
    @Override
    public AppendResult append(AppendRequest request) {
      try {
        return super.append(request);
      } catch (AppendConflictException e) {
        if (request.size() > 1) {
          delegate.append(AppendRequest.of(request.events().getFirst()));
        }
        throw e;
      }
    }
  }),

  /** Writes a retried batch again under fresh ids instead of returning the original result. */
  WRITES_RETRIES_TWICE(store -> new ForwardingEventStore(store) {
    private final Set<UUID> seen = ConcurrentHashMap.newKeySet();

    @Override
    public AppendResult append(AppendRequest request) {
      List<EventData> events = request.events();
      if (events.stream().allMatch(e -> seen.contains(e.id()))) {
        var fresh = events.stream().map(e -> e.withId(UUID.randomUUID())).toList();
        return super.append(AppendRequest.of(fresh));
      }
      AppendResult result = super.append(request);
      events.forEach(e -> seen.add(e.id()));
      return result;
    }
  }),

  /** Subscriptions deliver every event, whatever their query. */
  SUBSCRIPTIONS_IGNORE_THE_QUERY(store -> new ForwardingEventStore(store) {
    @Override
    public EventSubscription subscribe(Query query, long fromPosition) {
      return super.subscribe(Query.all(), fromPosition);
    }
  });

  private final Function<EventStore, EventStore> wrapper;

  SeededFaults(Function<EventStore, EventStore> wrapper) {
    this.wrapper = wrapper;
  }

  EventStore newStore() {
    return wrapper.apply(InMemoryEventStore.create());
  }

  /** Re-delivers the last event once, the first time events follow an empty poll. */
  private static final class DuplicatingSubscription implements EventSubscription {
    private final EventSubscription delegate;
    private @Nullable RecordedEvent last;
    private boolean caughtUp;
    private boolean duplicated;

    DuplicatingSubscription(EventSubscription delegate) {
      this.delegate = delegate;
    }

    @Override
    public @Nullable RecordedEvent poll(Duration timeout) throws InterruptedException {
      List<RecordedEvent> one = poll(1, timeout);
      return one.isEmpty() ? null : one.getFirst();
    }

    @Override
    public List<RecordedEvent> poll(int max, Duration timeout) throws InterruptedException {
      List<RecordedEvent> events = delegate.poll(max, timeout);
      if (events.isEmpty()) {
        caughtUp = last != null;
        return events;
      }
      var out = new ArrayList<RecordedEvent>();
      if (caughtUp && !duplicated && last != null) {
        duplicated = true;
        out.add(last);
      }
      out.addAll(events);
      last = events.getLast();
      return out;
    }

    @Override
    public long lastPosition() {
      return delegate.lastPosition();
    }

    @Override
    public int bufferedEvents() {
      return delegate.bufferedEvents();
    }

    @Override
    public int bufferCapacity() {
      return delegate.bufferCapacity();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}

package io.chiplog.api.memory;

import io.chiplog.api.AppendConflictException;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.ConflictReason;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.EventSubscription;
import io.chiplog.api.NamingRules;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StoreLimits;
import io.chiplog.api.StreamNotFoundException;
import io.chiplog.api.spi.CatchUpSubscription;
import io.chiplog.api.spi.CommitSignal;
import io.chiplog.api.spi.Idempotency;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The reference {@link EventStore}: every event in a list, guarded by one read-write lock. Reads
 * copy what they return under the read lock, so they see whole appends only; appends check and
 * write under the write lock, so they are atomic and serialised.
 *
 * <pre>{@code
 * try (var store = InMemoryEventStore.create()) {
 *   store.append(AppendRequest.of(EventData.ofJson("BookAdded", "{}")).toStream("book-1"));
 * }
 * }</pre>
 *
 * <p>Nothing is durable: the events are gone when the object is. Thread-safe.
 */
public final class InMemoryEventStore implements EventStore {
  /** How many events a subscription fetches ahead of its subscriber. */
  public static final int SUBSCRIPTION_BUFFER_CAPACITY = 256;

  private static final String NAME = "in-memory store";

  private final InstantSource clock;
  private final StoreLimits limits;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final CommitSignal commits = new CommitSignal(NAME, 0);

  // Guarded by lock. The event at position p is log.get(p - 1).
  private final List<RecordedEvent> log = new ArrayList<>();
  private final Map<String, List<Long>> positionsByStream = new HashMap<>();
  private final Map<UUID, Long> positionById = new HashMap<>();
  private final Map<Long, AppendResult> appendByFirstPosition = new HashMap<>();

  private InMemoryEventStore(InstantSource clock, StoreLimits limits) {
    this.clock = clock;
    this.limits = limits;
  }

  /** A store with the system clock and the default limits. */
  public static InMemoryEventStore create() {
    return create(InstantSource.system(), StoreLimits.defaults());
  }

  /** A store with this clock (for {@code recordedAt}) and these limits. */
  public static InMemoryEventStore create(InstantSource clock, StoreLimits limits) {
    return new InMemoryEventStore(clock, limits);
  }

  @Override
  public AppendResult append(AppendRequest request) {
    commits.ensureOpen();
    limits.check(request);
    lock.writeLock().lock();
    try {
      commits.ensureOpen();
      AppendResult original = findOriginalOfRetry(request);
      if (original != null) {
        return original;
      }
      long streamRevision = checkExpectedRevision(request);
      checkCondition(request);
      AppendResult result = write(request, streamRevision, clock.instant());
      commits.advance(result.lastPosition());
      return result;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Returns the stream's current last revision once the expectation holds. */
  private long checkExpectedRevision(AppendRequest request) {
    String stream = request.stream();
    if (stream == null) {
      return RecordedEvent.NO_REVISION;
    }
    long actual = lastRevision(stream);
    if (!request.expectedRevision().isSatisfiedBy(actual)) {
      throw new AppendConflictException(
          new ConflictReason.RevisionMismatch(stream, request.expectedRevision(), actual));
    }
    return actual;
  }

  private void checkCondition(AppendRequest request) {
    var condition = request.condition();
    if (condition == null) {
      return;
    }
    Query query = condition.failIfEventsMatch();
    for (long position = condition.after() + 1; position <= log.size(); position++) {
      if (query.matches(log.get((int) position - 1))) {
        throw new AppendConflictException(
            new ConflictReason.ConditionMatched(query, condition.after(), position));
      }
    }
  }

  private AppendResult write(AppendRequest request, long streamRevision, Instant now) {
    String stream = request.stream();
    long first = log.size() + 1L;
    long revision = streamRevision;
    for (EventData event : request.events()) {
      long position = log.size() + 1L;
      if (stream != null) {
        revision++;
        positionsByStream.computeIfAbsent(stream, s -> new ArrayList<>()).add(position);
      }
      log.add(RecordedEvent.of(event, position, stream, stream == null ? RecordedEvent.NO_REVISION : revision, now));
      positionById.put(event.id(), position);
    }
    var result = new AppendResult(first, log.size(), stream == null ? RecordedEvent.NO_REVISION : revision);
    appendByFirstPosition.put(first, result);
    return result;
  }

  /** The contract's retry rule ({@link Idempotency}) over this store's maps. */
  private @Nullable AppendResult findOriginalOfRetry(AppendRequest request) {
    return Idempotency.originalOf(
        request,
        id -> positionById.getOrDefault(id, -1L),
        first -> {
          AppendResult original = appendByFirstPosition.get(first);
          return original == null ? null : new Idempotency.StoredAppend(log.get((int) first - 1).stream(), original);
        });
  }

  private long lastRevision(String stream) {
    List<Long> positions = positionsByStream.get(stream);
    return positions == null ? RecordedEvent.NO_REVISION : positions.size() - 1L;
  }

  @Override
  public Stream<RecordedEvent> read(Query query, ReadOptions options) {
    return underReadLock(() -> select(query, options)).stream();
  }

  private List<RecordedEvent> select(Query query, ReadOptions options) {
    var out = new ArrayList<RecordedEvent>();
    if (options.isForwards()) {
      for (long p = Math.max(options.from(), 1); p <= log.size() && out.size() < options.limit(); p++) {
        addIfMatching(out, query, log.get((int) p - 1));
      }
    } else {
      for (long p = Math.min(options.from(), log.size()); p >= 1 && out.size() < options.limit(); p--) {
        addIfMatching(out, query, log.get((int) p - 1));
      }
    }
    return out;
  }

  private static void addIfMatching(List<RecordedEvent> out, Query query, RecordedEvent event) {
    if (query.matches(event)) {
      out.add(event);
    }
  }

  @Override
  public Stream<RecordedEvent> readStream(String stream, ReadOptions options) {
    NamingRules.checkStream(stream, "stream");
    return underReadLock(() -> selectStream(stream, options)).stream();
  }

  private List<RecordedEvent> selectStream(String stream, ReadOptions options) {
    List<Long> positions = positionsByStream.get(stream);
    if (positions == null) {
      throw new StreamNotFoundException(stream);
    }
    var out = new ArrayList<RecordedEvent>();
    if (options.isForwards()) {
      for (long r = options.from(); r < positions.size() && out.size() < options.limit(); r++) {
        out.add(log.get((int) (positions.get((int) r) - 1)));
      }
    } else {
      for (long r = Math.min(options.from(), positions.size() - 1L); r >= 0 && out.size() < options.limit(); r--) {
        out.add(log.get((int) (positions.get((int) r) - 1)));
      }
    }
    return out;
  }

  @Override
  public long head() {
    commits.ensureOpen();
    return commits.head();
  }

  @Override
  public EventSubscription subscribe(Query query, long fromPosition) {
    return new CatchUpSubscription(commits, this::readPage, query, fromPosition, SUBSCRIPTION_BUFFER_CAPACITY);
  }

  @Override
  public void close() {
    commits.close();
  }

  private <T> T underReadLock(Supplier<T> read) {
    commits.ensureOpen();
    lock.readLock().lock();
    try {
      commits.ensureOpen();
      return read.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Subscriptions read pages under the read lock, like any reader. */
  private CatchUpSubscription.Page readPage(Query query, long fromPosition, int max) {
    return underReadLock(
        () -> {
          var events = select(query, ReadOptions.forwards().from(fromPosition).limit(max));
          long scanned = events.size() == max ? events.getLast().position() : log.size();
          return new CatchUpSubscription.Page(events, scanned);
        });
  }

  @Override
  public String toString() {
    return NAME;
  }
}

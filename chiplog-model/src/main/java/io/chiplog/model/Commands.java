package io.chiplog.model;

import io.chiplog.api.AppendCondition;
import io.chiplog.api.AppendConflictException;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.ConflictReason;
import io.chiplog.api.EventData;
import io.chiplog.api.EventStore;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StreamNotFoundException;
import io.chiplog.model.internal.KeyedLocks;
import io.chiplog.model.internal.ModelMetrics;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Runs commands against an {@link EventStore}: entity commands ({@link #handle}) and DCB
 * decisions ({@link #decide}). Each attempt reads, decides and appends with a check — the
 * stream's expected revision, or "nothing matching the boundary after the position read" — and
 * a conflict means another writer got there first: the command is decided again on the new
 * state, after a jittered backoff, up to {@code attemptsMax} times. Thread-safe; one per store.
 *
 * <pre>{@code
 * var commands = new Commands(store, ModelOptions.builder().queueByKey(true).build());
 * Outcome<LibraryEvent> added = commands.decide("addBook", "category:" + category, types, context -> {
 *   var states = context.read(categoryExists(category), booksInCategory(category));
 *   if (!states.get(categoryExists(category))) {
 *     return Decision.reject("no category " + category);
 *   }
 *   return Decision.accept(new BookAdded(context.newId().toString(), category, states.get(booksInCategory(category)) + 1, title));
 * });
 * }</pre>
 */
public final class Commands {
  private final EventStore store;
  private final ModelOptions options;
  private final KeyedLocks locks = new KeyedLocks(1024);
  private final ModelMetrics metrics;
  private final ReentrantLock randomLock = new ReentrantLock();

  /** Runs commands against {@code store} with {@code options}. */
  public Commands(EventStore store, ModelOptions options) {
    this.store = store;
    this.options = options;
    this.metrics = new ModelMetrics(options.meters());
  }

  /** Runs commands against {@code store} with the default options. */
  public Commands(EventStore store) {
    this(store, ModelOptions.defaults());
  }

  /**
   * Handles {@code command} on the entity's stream: loads it (from a snapshot, if there is a
   * usable one), decides, appends with the revision it read.
   *
   * @return the appended events with their positions, or the rejection
   * @throws AppendConflictException when every attempt met a conflict
   */
  public <S, C, E> Outcome<E> handle(Entity<S, C, E> entity, C command) {
    String stream = entity.stream().apply(command);
    return run(entity.name(), stream, attempt -> {
      Loaded<S> loaded = load(entity, stream);
      Decision<E> decision = entity.decide().decide(loaded.state(), command, context());
      return switch (decision) {
        case Decision.Reject<E> reject -> new Result<>(new Outcome.Rejected<>(reject.reason(), attempt));
        case Decision.Accept<E> accept -> {
          if (accept.events().isEmpty()) {
            yield new Result<>(new Outcome.Appended<>(List.of(), loaded.position(), attempt));
          }
          ExpectedRevision expected = loaded.revision() < 0
              ? ExpectedRevision.noStream()
              : ExpectedRevision.exactly(loaded.revision());
          var request = AppendRequest.of(encode(entity.types(), accept.events())).toStream(stream, expected);
          Outcome.Appended<E> appended = append(request, accept.events(), stream, attempt);
          maybeSnapshot(entity, stream, loaded, accept.events(), appended);
          yield new Result<>(appended);
        }
      };
    });
  }

  /**
   * The current state of an entity's stream and its last revision (-1 when it has none): what
   * {@link #handle} decides on.
   */
  public <S, C, E> Loaded<S> load(Entity<S, C, E> entity, String stream) {
    S state = entity.initial();
    long revision = -1;
    Snapshot usable = usableSnapshot(entity, stream);
    if (usable != null) {
      try {
        state = entity.types().mapper().readValue(usable.state(), entity.snapshots().stateType());
        revision = usable.revision();
      } catch (IOException unreadable) {
        // A snapshot is an optimization: one that does not read means folding from the start.
        usable = null;
      }
    }
    List<RecordedEvent> stored = readStream(stream, usable == null ? 0 : revision);
    if (usable != null) {
      // The stream must still hold the snapshot's last event at its revision: otherwise the
      // snapshot is of another store (a shared snapshot directory, a restored backup).
      if (stored.isEmpty() || !stored.getFirst().id().equals(usable.lastEventId())) {
        state = entity.initial();
        revision = -1;
        stored = readStream(stream, 0);
      } else {
        stored = stored.subList(1, stored.size());
      }
    }
    List<Recorded<E>> decoded = entity.types().decode(stored);
    state = entity.fold(state, decoded);
    long position = 0;
    if (!stored.isEmpty()) {
      revision = stored.getLast().revision();
      position = stored.getLast().position();
    }
    return new Loaded<>(state, revision, position, stored.size());
  }

  private <S, C, E> @Nullable Snapshot usableSnapshot(Entity<S, C, E> entity, String stream) {
    Entity.SnapshotPolicy<S> policy = entity.snapshots();
    if (policy == null) {
      return null;
    }
    Optional<Snapshot> snapshot = options.snapshots().load(entity.name(), stream);
    return snapshot.isPresent() && snapshot.get().codeVersion() == policy.codeVersion() ? snapshot.get() : null;
  }

  private List<RecordedEvent> readStream(String stream, long fromRevision) {
    try (Stream<RecordedEvent> events = store.readStream(stream, ReadOptions.forwards().from(fromRevision))) {
      return events.toList();
    } catch (StreamNotFoundException none) {
      return List.of();
    }
  }

  /**
   * An entity's state as loaded.
   *
   * @param state the folded state
   * @param revision the stream's last revision, -1 when it has no events
   * @param position the position of the last event read, 0 when none was read
   * @param eventsRead how many events were read (after the snapshot, if one was used)
   * @param <S> the state
   */
  public record Loaded<S>(S state, long revision, long position, int eventsRead) {}

  /**
   * Runs a DCB decision: {@code body} reads projections through its context (which makes their
   * queries the decision's consistency boundary) and decides; the events are appended on the
   * condition that no event matching the boundary appeared after the position read.
   *
   * @param name the decision's name, for metrics
   * @return the appended events with their positions, or the rejection
   * @throws AppendConflictException when every attempt met a conflict
   */
  public <E> Outcome<E> decide(String name, EventTypes<E> types, DecisionBody<E> body) {
    return decide(name, null, types, body);
  }

  /**
   * Runs a DCB decision whose commands share {@code key} (e.g. {@code category:fiction}): with
   * {@link ModelOptions#queueByKey()} they run one at a time in this process instead of
   * conflicting with each other.
   */
  public <E> Outcome<E> decide(String name, @Nullable String key, EventTypes<E> types, DecisionBody<E> body) {
    return decide(name, key, types, body, UnaryOperator.identity());
  }

  /**
   * Runs a DCB decision as {@link #decide(String, String, EventTypes, DecisionBody)} does, and
   * lets {@code shape} turn the decided append into the one made, on each attempt: put it in a
   * stream at an expected revision, or add events after the decided ones, all appended
   * atomically. A workflow records a step's events and its transition this way. {@code shape}
   * must keep the decided events together and in order (it may add events before and after
   * them), and the condition; it is not called when the decision appends nothing. A conflict on
   * the stream's revision is thrown at once, not decided again: only the shape chose it.
   */
  public <E> Outcome<E> decide(String name, @Nullable String key, EventTypes<E> types, DecisionBody<E> body,
      UnaryOperator<AppendRequest> shape) {
    try {
      return decideAttempts(name, key, types, body, shape);
    } catch (NotRetried conflict) {
      throw conflict.getCause();
    }
  }

  /** A conflict that another attempt cannot resolve, carried past the retries. */
  private static final class NotRetried extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotRetried(AppendConflictException cause) {
      super(cause);
    }

    @Override
    public synchronized AppendConflictException getCause() {
      return (AppendConflictException) super.getCause();
    }
  }

  private <E> Outcome<E> decideAttempts(String name, @Nullable String key, EventTypes<E> types, DecisionBody<E> body,
      UnaryOperator<AppendRequest> shape) {
    return run(name, key, attempt -> {
      var context = new Reads<E>(types);
      Decision<E> decision = body.decide(context);
      return switch (decision) {
        case Decision.Reject<E> reject -> new Result<>(new Outcome.Rejected<>(reject.reason(), attempt));
        case Decision.Accept<E> accept -> {
          if (accept.events().isEmpty()) {
            long readThrough = context.queried.isEmpty() ? store.head() : context.readThrough;
            yield new Result<>(new Outcome.Appended<>(List.of(), readThrough, attempt));
          }
          List<EventData> decided = encode(types, accept.events());
          var request = AppendRequest.of(decided);
          if (!context.queried.isEmpty()) {
            request = request.withCondition(
                AppendCondition.failIfEventsMatch(DecisionContext.union(context.queried)).after(context.readThrough));
          }
          AppendRequest shaped = shape.apply(request);
          if (!Objects.equals(shaped.condition(), request.condition())) {
            throw new IllegalStateException("the shape of the append changed its condition: the decision's boundary");
          }
          try {
            yield new Result<>(append(shaped, offsetOf(shaped, decided.getFirst()), accept.events(), shaped.stream(),
                attempt));
          } catch (AppendConflictException conflict) {
            if (conflict.reason() instanceof ConflictReason.RevisionMismatch) {
              // Only the shape put the append in a stream: deciding again cannot change its revision.
              throw new NotRetried(conflict);
            }
            throw conflict;
          }
        }
      };
    });
  }

  /** A decision's body: reads what it needs through the context and decides. */
  @FunctionalInterface
  public interface DecisionBody<E> {
    /** Decides; may be called again (with fresh reads) after a conflict. */
    Decision<E> decide(DecisionContext<E> context);
  }

  private record Result<E>(Outcome<E> outcome) {}

  @FunctionalInterface
  private interface Attempt<E> {
    Result<E> run(int attempt);
  }

  private <E> Outcome<E> run(String name, @Nullable String key, Attempt<E> attempt) {
    if (RUNNING.get()) {
      // A command inside a command would append inside the outer one's boundary (conflicting
      // with it on every retry, appending again each time) or take keyed locks in any order.
      throw new IllegalStateException(
          "commands do not nest: " + name + " was run inside another command; compose projections in one decision instead");
    }
    RUNNING.set(true);
    try {
      return runAttempts(name, key, attempt);
    } finally {
      RUNNING.remove();
    }
  }

  private static final ThreadLocal<Boolean> RUNNING = ThreadLocal.withInitial(() -> false);

  private <E> Outcome<E> runAttempts(String name, @Nullable String key, Attempt<E> attempt) {
    ReentrantLock lock = options.queueByKey() && key != null ? locks.lockFor(key) : null;
    if (lock != null) {
      lock.lock();
    }
    long started = System.nanoTime();
    try {
      for (int number = 1; ; number++) {
        try {
          Outcome<E> outcome = attempt.run(number).outcome();
          metrics.done(name, outcome, number, System.nanoTime() - started);
          return outcome;
        } catch (AppendConflictException conflict) {
          metrics.conflict(name);
          if (number >= options.attemptsMax()) {
            metrics.gaveUp(name);
            throw conflict;
          }
          backoff(number);
        }
      }
    } finally {
      if (lock != null) {
        lock.unlock();
      }
    }
  }

  /** Waits before attempt {@code failed + 1}: exponential, with full jitter, so rivals spread out. */
  private void backoff(int failed) {
    long ceiling = Math.min(options.backoffMax().toNanos(),
        options.backoffInitial().toNanos() << Math.min(20, failed - 1));
    long wait = ceiling <= 1 ? ceiling : 1 + nextLong(ceiling);
    LockSupport.parkNanos(wait);
  }

  private <E> Outcome.Appended<E> append(AppendRequest request, List<E> events, @Nullable String stream, int attempt) {
    return append(request, 0, events, stream, attempt);
  }

  /** Appends {@code request}, in which {@code events} are the ones from index {@code offset} on. */
  private <E> Outcome.Appended<E> append(AppendRequest request, int offset, List<E> events, @Nullable String stream,
      int attempt) {
    AppendResult result = store.append(request);
    var recorded = new ArrayList<Recorded<E>>(events.size());
    Instant now = options.clock().instant();
    for (int i = 0; i < events.size(); i++) {
      int index = offset + i;
      long revision = result.streamRevision() < 0 ? -1 : result.streamRevision() - (request.size() - 1 - index);
      recorded.add(new Recorded<>(events.get(i), request.events().get(index).id(), result.firstPosition() + index,
          stream, revision, now));
    }
    return new Outcome.Appended<>(recorded, result.lastPosition(), attempt);
  }

  /** Where {@code shape} put the decided events, the first of which is {@code first}. */
  private static int offsetOf(AppendRequest shaped, EventData first) {
    for (int i = 0; i < shaped.size(); i++) {
      if (shaped.events().get(i).id().equals(first.id())) {
        return i;
      }
    }
    throw new IllegalStateException("the shape of the append dropped the decided events");
  }

  private <S, C, E> void maybeSnapshot(Entity<S, C, E> entity, String stream, Loaded<S> loaded, List<E> events,
      Outcome.Appended<E> appended) {
    Entity.SnapshotPolicy<S> policy = entity.snapshots();
    if (policy == null || appended.events().isEmpty()) {
      return;
    }
    long revision = appended.events().getLast().revision();
    long sinceSnapshot = loaded.eventsRead() + events.size();
    if (sinceSnapshot < policy.everyEvents()) {
      return;
    }
    S state = loaded.state();
    for (E event : events) {
      state = entity.evolve().apply(state, event);
    }
    try {
      byte[] json = entity.types().mapper().writeValueAsBytes(state);
      UUID lastId = appended.events().getLast().id();
      options.snapshots().save(new Snapshot(entity.name(), stream, policy.codeVersion(), revision, lastId, json));
    } catch (IOException | RuntimeException e) {
      // The events are stored: the command succeeded. A snapshot is only an optimization, and
      // failing here would make the caller retry a command that was done.
      metrics.snapshotFailed(entity.name());
    }
  }

  private <E> List<EventData> encode(EventTypes<E> types, List<E> events) {
    var encoded = new ArrayList<EventData>(events.size());
    for (E event : events) {
      // Never from the options' random source: a seeded one (for tests) would draw the same ids
      // again in the next process, and the store would take a new append for a retry of an old
      // one and write nothing.
      encoded.add(types.encode(event, UUID.randomUUID()));
    }
    return encoded;
  }

  private CommandContext context() {
    return new Context();
  }

  /** The time and ids of the options; what {@code decide} gets, and decisions' reads build on. */
  private class Context implements CommandContext {
    @Override
    public Instant now() {
      return options.clock().instant();
    }

    @Override
    public UUID newId() {
      return Commands.this.newId();
    }
  }

  private UUID newId() {
    long high = nextLong(Long.MAX_VALUE) ^ nextLong(Long.MAX_VALUE) << 1;
    long low = nextLong(Long.MAX_VALUE) ^ nextLong(Long.MAX_VALUE) << 1;
    // Version 4 (random), IETF variant.
    high = (high & ~0xF000L) | 0x4000L;
    low = (low & ~(0xC000000000000000L)) | 0x8000000000000000L;
    return new UUID(high, low);
  }

  private long nextLong(long bound) {
    if (options.random() instanceof ThreadLocalRandom) {
      // Not the instance in the options: its state lives in each thread and is seeded only by
      // current(). A thread that never called current() starts from a fixed seed, so the same
      // ids came back after every restart, and the store took a new append for a retry of an
      // old one with those ids and wrote nothing.
      return ThreadLocalRandom.current().nextLong(bound);
    }
    randomLock.lock();
    try {
      return options.random().nextLong(bound);
    } finally {
      randomLock.unlock();
    }
  }

  /** One attempt's reads: the projections' queries and the position they were read through. */
  private final class Reads<E> extends Context implements DecisionContext<E> {
    final EventTypes<E> types;
    final List<Projection<?, ?>> queried = new ArrayList<>();
    long readThrough = Long.MAX_VALUE;

    Reads(EventTypes<E> types) {
      this.types = types;
    }

    @Override
    public States<E> readAll(List<? extends Projection<?, E>> projections) {
      // Everything at or below the head is committed before the reads start, so each sees all
      // of it, and a read is consistent up to the last event it returned. The reads are not one
      // snapshot, so the boundary holds from the least of them: "no match after readThrough"
      // then covers every event any fold missed (at worst a spurious conflict, never a miss).
      long head = store.head();
      long through = Long.MAX_VALUE;
      var states = new States<E>();
      var folded = new ArrayList<Projection<?, E>>();
      for (Projection<?, E> projection : projections) {
        if (projection.lastOnly()) {
          List<RecordedEvent> last;
          try (Stream<RecordedEvent> events = store.read(projection.query(), ReadOptions.backwards().limit(1))) {
            last = events.toList();
          }
          List<Recorded<E>> decoded = types.decode(last);
          if (!last.isEmpty() && decoded.isEmpty()) {
            // The newest match does not decode on its own (a type this model does not know, or
            // half of a pair an upcaster merges): only the whole history can say the state.
            folded.add(projection);
            continue;
          }
          through = Math.min(through, last.isEmpty() ? head : Math.max(head, last.getFirst().position()));
          states.put(projection, fold(projection, decoded, last));
        } else {
          folded.add(projection);
        }
      }
      if (!folded.isEmpty()) {
        List<RecordedEvent> stored;
        try (Stream<RecordedEvent> events = store.read(DecisionContext.union(folded), ReadOptions.forwards())) {
          stored = events.toList();
        }
        through = Math.min(through, stored.isEmpty() ? head : Math.max(head, stored.getLast().position()));
        List<Recorded<E>> decoded = types.decode(stored);
        for (Projection<?, E> projection : folded) {
          states.put(projection, fold(projection, decoded, stored));
        }
      }
      readThrough = Math.min(readThrough, through == Long.MAX_VALUE ? head : through);
      queried.addAll(projections);
      return states;
    }

    private <S> S fold(Projection<S, E> projection, List<Recorded<E>> decoded, List<RecordedEvent> stored) {
      S state = projection.initial();
      int raw = 0;
      for (Recorded<E> event : decoded) {
        // Match on the stored event's type and tags (upcasting may have renamed the type, but
        // the query was answered on what is stored).
        while (raw < stored.size() && stored.get(raw).position() < event.position()) {
          raw++;
        }
        RecordedEvent source = raw < stored.size() ? stored.get(raw) : null;
        if (source != null && projection.query().matches(source)) {
          state = projection.evolve().apply(state, event.event());
        }
      }
      return state;
    }
  }
}

package io.chiplog.views.internal;

import io.chiplog.api.EventStore;
import io.chiplog.api.EventSubscription;
import io.chiplog.api.Query;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StoreClosedException;
import io.chiplog.views.ViewFailure;
import io.chiplog.views.ViewOptions;
import io.chiplog.views.ViewState;
import io.chiplog.views.ViewStoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one built version of a view: subscribes from its checkpoint + 1, pulls batches of up to
 * {@code batchSizeMax} events, and has its {@link ViewTarget} apply and commit each batch with
 * the batch's last position as the new checkpoint, in one transaction.
 *
 * <p>The failure policy: when a batch fails in the view's code, its events are applied one at a
 * time, each committed, so everything before the failing event lands; the failing event is
 * tried {@code attemptsMax} times with backoff, then the runner stops there, FAILED, with the
 * event and the error in {@link #failure()}. It never skips an event. Errors of the view store
 * are retried with backoff for as long as the runner runs, except a commit refused because
 * another runner of the space (another process) committed those events first: then the runner
 * resumes after that runner's checkpoint.
 *
 * <p>The position is the last position applied; a poll that finds nothing moves it to the head
 * read before the poll, so a wait for a position the view does not fold ends too. The runner is
 * caught up when it has applied everything up to the head it read before its last poll.
 */
public final class ProjectionRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);

  private final EventStore events;
  private final Query query;
  private final ViewTarget target;
  private final ViewOptions options;
  private final long upTo;
  private final RunnerListener listener;
  private final RateMeter rate = new RateMeter();
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final Thread thread;

  private volatile ViewState state;
  private volatile long position;
  private volatile @Nullable ViewFailure failure;
  private volatile @Nullable String lastError;
  private volatile boolean stopping;
  private volatile @Nullable EventSubscription subscription;

  /**
   * A runner (not started) for {@code target} over the events of {@code query} in {@code events},
   * applying nothing after {@code upTo} ({@code Long.MAX_VALUE}: runs on), starting in {@code
   * state} (RUNNING or REBUILDING).
   */
  public ProjectionRunner(EventStore events, Query query, ViewTarget target, ViewOptions options, long upTo,
      ViewState state, RunnerListener listener) {
    this.events = events;
    this.query = query;
    this.target = target;
    this.options = options;
    this.upTo = upTo;
    this.state = state;
    this.listener = listener;
    this.thread = Thread.ofPlatform().name("view-" + target.space()).daemon().unstarted(this::run);
  }

  /** Starts its thread. */
  public void start() {
    thread.start();
  }

  /** The target it writes. */
  public ViewTarget target() {
    return target;
  }

  /** What it does. */
  public ViewState state() {
    return state;
  }

  /** Marks it as the live version (after a switch). */
  public void markLive() {
    if (state == ViewState.REBUILDING) {
      state = ViewState.RUNNING;
    }
  }

  /** The last position applied. */
  public long position() {
    return position;
  }

  /** Events applied per second lately. */
  public double eventsPerSecond() {
    return rate.perSecond(System.nanoTime());
  }

  /** Why it stopped, if it failed. */
  public @Nullable ViewFailure failure() {
    return failure;
  }

  /** The last error of the view store while it is being retried; null once a commit succeeds. */
  public @Nullable String lastError() {
    return lastError;
  }

  private void run() {
    try {
      long checkpoint = retryingStore(target::checkpoint);
      while (true) {
        position = checkpoint;
        listener.advanced(this, checkpoint, 0);
        try (EventSubscription events = this.events.subscribe(query, checkpoint + 1)) {
          subscription = events;
          loop(events);
          return;
        } catch (CheckpointMoved moved) {
          LOG.info("view={} another runner committed up to {}: resuming from there", target.space(), moved.checkpoint);
          checkpoint = moved.checkpoint;
        }
      }
    } catch (Stopping | StoreClosedException e) {
      LOG.debug("view={} stopped: {}", target.space(), e.toString());
    } catch (IllegalStateException e) {
      if (!stopping) {
        LOG.error("view={} stopped by an unexpected error", target.space(), e);
      }
    } catch (RuntimeException | Error e) {
      LOG.error("view={} stopped by an unexpected error", target.space(), e);
      throw e;
    } finally {
      if (state == ViewState.RUNNING || state == ViewState.REBUILDING) {
        state = ViewState.STOPPED;
      }
      listener.ended(this);
    }
  }

  private void loop(EventSubscription events) {
    while (!stopping) {
      if (position >= upTo) {
        state = ViewState.DONE;
        return;
      }
      long head = this.events.head();
      List<RecordedEvent> batch = nextBatch(events);
      if (batch.isEmpty()) {
        long through = Math.min(head, upTo);
        if (through > position) {
          position = through;
          listener.advanced(this, through, 0);
        }
        listener.caughtUp(this);
        continue;
      }
      if (!applyAll(batch)) {
        return;
      }
      if (position >= head) {
        // Everything committed before the poll is applied: caught up, even under a steady load
        // that never leaves a poll empty (a rebuild must be able to switch over then too).
        listener.caughtUp(this);
      }
    }
  }

  /** Up to {@code batchSizeMax} events: waits for the first, then takes what is there; none after {@code upTo}. */
  private List<RecordedEvent> nextBatch(EventSubscription events) {
    try {
      List<RecordedEvent> first = events.poll(options.batchSizeMax(), options.idlePoll());
      if (first.isEmpty() || first.size() >= options.batchSizeMax()) {
        return upToLimit(first);
      }
      var batch = new ArrayList<>(first);
      while (batch.size() < options.batchSizeMax() && batch.getLast().position() < upTo) {
        List<RecordedEvent> more = events.poll(options.batchSizeMax() - batch.size(), Duration.ZERO);
        if (more.isEmpty()) {
          break;
        }
        batch.addAll(more);
      }
      return upToLimit(batch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Stopping();
    }
  }

  private List<RecordedEvent> upToLimit(List<RecordedEvent> batch) {
    if (batch.isEmpty() || batch.getLast().position() <= upTo) {
      return batch;
    }
    return batch.stream().filter(event -> event.position() <= upTo).toList();
  }

  /** Applies the batch; false when the runner stopped at a failing event. */
  private boolean applyAll(List<RecordedEvent> batch) {
    if (batch.isEmpty()) {
      position = upTo; // every event left was after upTo
      return true;
    }
    try {
      commit(batch);
      return true;
    } catch (FoldException e) {
      LOG.warn("view={} a batch of {} events failed at position {}; applying them one at a time: {}",
          target.space(), batch.size(), e.position(), e.getCause().toString());
    }
    for (RecordedEvent event : batch) {
      if (!applyOne(event)) {
        return false;
      }
    }
    return true;
  }

  private boolean applyOne(RecordedEvent event) {
    for (int attempt = 1; ; attempt++) {
      try {
        commit(List.of(event));
        return true;
      } catch (FoldException e) {
        if (attempt >= options.attemptsMax()) {
          fail(event, e.getCause(), attempt);
          return false;
        }
        LOG.warn("view={} the event at position {} ({}) failed, attempt {} of {}: {}",
            target.space(), event.position(), event.type(), attempt, options.attemptsMax(), e.getCause().toString());
        pause(options.backoff(attempt));
      }
    }
  }

  private void fail(RecordedEvent event, Throwable error, int attempts) {
    failure = new ViewFailure(event.position(), event.id(), event.type(), error.toString(), attempts, Instant.now());
    state = ViewState.FAILED;
    LOG.error("view={} FAILED at position {} ({}, id {}) after {} attempts; it stays there until resumed",
        target.space(), event.position(), event.type(), event.id(), attempts, error);
  }

  private void commit(List<RecordedEvent> batch) {
    long through = batch.getLast().position();
    retryingStore(() -> {
      try {
        target.apply(batch, through);
      } catch (ViewStoreException e) {
        throwIfCheckpointMoved(batch.getFirst().position());
        throw e;
      }
      return through;
    });
    position = through;
    rate.add(batch.size(), System.nanoTime());
    listener.advanced(this, through, batch.size());
  }

  /** Runs {@code work}, retrying view store errors with backoff until it succeeds or the runner stops. */
  private long retryingStore(StoreWork work) {
    for (int attempt = 1; ; attempt++) {
      if (stopping) {
        throw new Stopping();
      }
      try {
        long result = work.run();
        lastError = null;
        return result;
      } catch (ViewStoreException e) {
        lastError = e.getMessage();
        LOG.warn("view={} the view store failed (attempt {}), retrying: {}", target.space(), attempt, e.getMessage());
        pause(options.backoff(attempt));
      }
    }
  }

  /**
   * A store that several processes share refuses a batch that another runner of the same space
   * applied already (the checkpoint is at or after its first event). Retrying it would fail
   * forever, so the runner resumes from the stored checkpoint instead.
   */
  private void throwIfCheckpointMoved(long firstPosition) {
    long stored;
    try {
      stored = target.checkpoint();
    } catch (RuntimeException e) {
      return; // the store is failing: the commit is retried as before
    }
    if (stored >= firstPosition) {
      throw new CheckpointMoved(stored);
    }
  }

  /** Unwinds to {@link #run}, which resubscribes after the checkpoint another runner committed. */
  private static final class CheckpointMoved extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long checkpoint;

    CheckpointMoved(long checkpoint) {
      super("the checkpoint moved to " + checkpoint, null, false, false);
      this.checkpoint = checkpoint;
    }
  }

  @FunctionalInterface
  private interface StoreWork {
    long run();
  }

  private void pause(Duration pause) {
    try {
      if (stopSignal.await(pause.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new Stopping();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Stopping();
    }
  }

  /** Unwinds the runner's thread when it is asked to stop. */
  private static final class Stopping extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopping() {
      super("stopping", null, false, false);
    }
  }

  /** Waits for the runner's thread to end (a point-in-time build). */
  public void join() throws InterruptedException {
    thread.join();
  }

  /** Stops the runner and waits for its thread; a batch being committed finishes first. */
  @Override
  public void close() {
    stopping = true;
    stopSignal.countDown();
    EventSubscription current = subscription;
    if (current != null) {
      current.close();
    }
    if (Thread.currentThread() != thread) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

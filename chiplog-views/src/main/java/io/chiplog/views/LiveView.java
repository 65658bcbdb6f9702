package io.chiplog.views;

import io.chiplog.api.EventStore;
import io.chiplog.views.internal.KeyValueTarget;
import io.chiplog.views.internal.ProjectionRunner;
import io.chiplog.views.internal.RunnerListener;
import io.chiplog.views.internal.ViewTarget;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One view by name in a {@link Views}: the live version readers read (with its runner, unless it
 * is an old version whose code is gone), and at most one version being built beside it. When the
 * built one has caught up with the log and with the live one, it becomes live; the old one stops
 * and its space is dropped.
 */
final class LiveView implements RunnerListener {
  private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);
  private static final long PROGRESS_LOG_NANOS = 5_000_000_000L;

  private final EventStore events;
  private final ViewOptions options;
  private final BiFunction<View<?>, String, ViewTarget> targets;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition advanced = lock.newCondition();
  private final AtomicLong applied = new AtomicLong();

  private volatile View<?> view;
  private volatile ViewTarget liveTarget;
  private volatile int liveVersion;
  private volatile @Nullable ProjectionRunner live;
  private volatile @Nullable ProjectionRunner building;
  private @Nullable View<?> buildingView;
  private @Nullable CompletableFuture<ViewStatus> built;
  private long progressLoggedNanos;
  private volatile boolean closed;
  /**
   * The live version's checkpoint at start: its position until its runner has read it too, and
   * for good when its code is gone (nothing moves it then).
   */
  private final long startPosition;

  LiveView(EventStore events, ViewOptions options, View<?> view, BiFunction<View<?>, String, ViewTarget> targets,
      @Nullable String liveSpace) {
    this.events = events;
    this.options = options;
    this.view = view;
    this.targets = targets;
    String space = liveSpace != null ? liveSpace : Spaces.first(view);
    liveTarget = targets.apply(view, space);
    startPosition = liveTarget.checkpoint(); // also prepares a new space (its tables) before it goes live
    liveVersion = Spaces.version(space);
    if (liveSpace == null) {
      liveTarget.makeLive();
    }
    if (liveVersion == view.version()) {
      live = runner(liveTarget, ViewState.RUNNING);
    } else {
      // The live version's code is gone: readers keep reading its data while the new one builds.
      LOG.info("view={} the live version is {}, the code is version {}: building it beside", view.name(), liveVersion, view.version());
      startBuild(view, Spaces.next(space, view.version()));
    }
  }

  private ProjectionRunner runner(ViewTarget target, ViewState state) {
    return new ProjectionRunner(events, view.query(), target, options, Long.MAX_VALUE, state, this);
  }

  void start() {
    ProjectionRunner current = live;
    if (current != null) {
      current.start();
    }
    ProjectionRunner next = building;
    if (next != null) {
      next.start();
    }
  }

  String name() {
    return view.name();
  }

  /** Builds {@code next} (a new version, or the same one afresh) beside the live version. */
  CompletableFuture<ViewStatus> rebuild(View<?> next) {
    lock.lock();
    try {
      if (building != null) {
        throw new IllegalStateException("the view " + view.name() + " is already being rebuilt");
      }
      var future = startBuild(next, Spaces.next(liveTarget.space(), next.version()));
      ProjectionRunner runner = building;
      if (runner != null) {
        runner.start();
      }
      return future;
    } finally {
      lock.unlock();
    }
  }

  private CompletableFuture<ViewStatus> startBuild(View<?> next, String space) {
    ViewTarget target = targets.apply(next, space);
    buildingView = next;
    built = new CompletableFuture<>();
    building = new ProjectionRunner(events, next.query(), target, options, Long.MAX_VALUE, ViewState.REBUILDING, this);
    LOG.info("view={} building version {} in {} from its checkpoint, beside the live {}", next.name(), next.version(), space, liveTarget.space());
    return built;
  }

  /** Completes at the switch to the version being built beside the live one; at once when none is. */
  CompletableFuture<ViewStatus> switchOver() {
    lock.lock();
    try {
      return built != null ? built : CompletableFuture.completedFuture(status());
    } finally {
      lock.unlock();
    }
  }

  /** Restarts a failed runner from its checkpoint; false when none had failed. */
  boolean resume() {
    lock.lock();
    try {
      boolean resumed = false;
      ProjectionRunner current = live;
      if (current != null && current.state() == ViewState.FAILED) {
        live = runner(current.target(), ViewState.RUNNING);
        live.start();
        resumed = true;
      }
      ProjectionRunner next = building;
      View<?> nextView = buildingView;
      if (next != null && nextView != null && next.state() == ViewState.FAILED) {
        building = new ProjectionRunner(events, nextView.query(), next.target(), options, Long.MAX_VALUE, ViewState.REBUILDING, this);
        building.start();
        resumed = true;
      }
      return resumed;
    } finally {
      lock.unlock();
    }
  }

  // --- what runners report ---

  @Override
  public void advanced(ProjectionRunner runner, long position, int count) {
    applied.addAndGet(count);
    lock.lock();
    try {
      advanced.signalAll();
    } finally {
      lock.unlock();
    }
    if (runner == building) {
      logProgress(runner, position);
    }
  }

  private void logProgress(ProjectionRunner runner, long position) {
    long now = System.nanoTime();
    if (now - progressLoggedNanos >= PROGRESS_LOG_NANOS) {
      progressLoggedNanos = now;
      long head = events.head();
      LOG.info("view={} rebuilding {}: position {} of {} ({}%), {} events/s", view.name(), runner.target().space(),
          position, head, head == 0 ? 100 : position * 100 / head, Math.round(runner.eventsPerSecond()));
    }
  }

  @Override
  public void caughtUp(ProjectionRunner runner) {
    if (runner == building) {
      switchTo(runner);
    }
  }

  @Override
  public void ended(ProjectionRunner runner) {
    lock.lock();
    try {
      advanced.signalAll();
      if (runner == building && runner.state() == ViewState.FAILED && built != null) {
        ViewFailure failure = runner.failure();
        if (failure != null) {
          built.completeExceptionally(new ViewFailedException(runner.target().space(), failure));
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Makes the built version live once it is as far as the live one; then stops and drops the old one. */
  private void switchTo(ProjectionRunner next) {
    ProjectionRunner old;
    ViewTarget oldTarget;
    CompletableFuture<ViewStatus> done;
    lock.lock();
    try {
      ProjectionRunner current = live;
      if (closed || next != building || (current != null && current.position() > next.position())) {
        return;
      }
      try {
        next.target().makeLive();
      } catch (ViewStoreException e) {
        LOG.warn("view={} cannot switch to {} yet: {}", view.name(), next.target().space(), e.getMessage());
        return;
      }
      View<?> nextView = buildingView;
      if (nextView != null) {
        view = nextView;
      }
      old = current;
      oldTarget = liveTarget;
      liveTarget = next.target();
      liveVersion = view.version();
      live = next;
      next.markLive();
      building = null;
      buildingView = null;
      done = built;
      built = null;
      advanced.signalAll();
    } finally {
      lock.unlock();
    }
    LOG.info("view={} switched to {} at position {}; dropping {}", view.name(), next.target().space(), next.position(), oldTarget.space());
    if (old != null) {
      old.close();
    }
    try {
      oldTarget.drop();
    } catch (ViewStoreException e) {
      LOG.warn("view={} cannot drop the old space {}: {}", view.name(), oldTarget.space(), e.getMessage());
    }
    if (done != null) {
      done.complete(status());
    }
  }

  // --- what readers ask ---

  /** The live version's position. */
  long position() {
    ProjectionRunner current = live;
    return current != null ? Math.max(startPosition, current.position()) : startPosition;
  }

  /**
   * Waits until the live version has applied {@code minPosition}; a failed view, which will not
   * get there before someone resumes it, is answered at once.
   */
  void await(long minPosition, Duration wait) {
    if (position() >= minPosition) {
      return;
    }
    long deadline = System.nanoTime() + wait.toNanos();
    lock.lock();
    try {
      while (position() < minPosition) {
        long left = deadline - System.nanoTime();
        ProjectionRunner current = live;
        // The failure is recorded before the state, so a FAILED runner always has one.
        ViewFailure failure = current != null && current.state() == ViewState.FAILED ? current.failure() : null;
        if (failure != null) {
          throw new ViewNotCaughtUpException(view.name(), minPosition, position(),
              "it FAILED at position " + failure.position() + " (" + failure.error() + ") and waits for a resume");
        }
        if (left <= 0 || closed) {
          throw new ViewNotCaughtUpException(view.name(), minPosition, position(), wait);
        }
        advanced.await(left, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ViewNotCaughtUpException(view.name(), minPosition, position(), wait);
    } finally {
      lock.unlock();
    }
  }

  /** The value of {@code key} in the live version; read again if a switch happened meanwhile. */
  <V> @Nullable V read(String key) {
    while (true) {
      ViewTarget target = liveTarget;
      if (!(target instanceof KeyValueTarget<?, ?> keyValue)) {
        throw new IllegalStateException("the view " + view.name() + " is not a key-value view");
      }
      @SuppressWarnings("unchecked")
      V value = (V) keyValue.read(key);
      if (target == liveTarget) {
        return value;
      }
    }
  }

  ViewStatus status() {
    long head = events.head();
    ProjectionRunner current = live;
    ViewStatus.Rebuild rebuild = null;
    ProjectionRunner next = building;
    View<?> nextView = buildingView;
    if (next != null && nextView != null) {
      rebuild = new ViewStatus.Rebuild(nextView.version(), next.target().space(), next.state(), next.position(), head,
          next.eventsPerSecond(), next.failure());
    }
    if (current == null) {
      return new ViewStatus(view.name(), liveVersion, liveTarget.space(), ViewState.STOPPED, startPosition, head, 0,
          null, null, rebuild);
    }
    return new ViewStatus(view.name(), liveVersion, liveTarget.space(), current.state(), current.position(), head,
        current.eventsPerSecond(), current.failure(), current.lastError(), rebuild);
  }

  /** Events applied by its runners, for the metrics. */
  long applied() {
    return applied.get();
  }

  void close() {
    ProjectionRunner current;
    ProjectionRunner next;
    lock.lock();
    try {
      closed = true;
      current = live;
      next = building;
      advanced.signalAll();
    } finally {
      lock.unlock();
    }
    if (next != null) {
      next.close();
    }
    if (current != null) {
      current.close();
    }
  }
}

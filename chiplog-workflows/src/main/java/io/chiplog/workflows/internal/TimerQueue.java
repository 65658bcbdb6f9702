package io.chiplog.workflows.internal;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's pending timers (waits and retry backoffs) in a heap by due time, and the thread
 * that fires them: adding, cancelling and firing one costs O(log n), whatever the number
 * pending, and the thread sleeps until the earliest is due. Cancelled entries stay in the heap
 * until their time (a few dozen bytes each, holding nothing) and are skipped then. Firing hands the entry's action to the engine's
 * threads; it never runs a step on this thread.
 */
public final class TimerQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TimerQueue.class);

  private final InstantSource clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final PriorityQueue<Entry> heap = new PriorityQueue<>();
  private final Thread thread;
  private long sequence;
  private boolean closed;

  /** Starts the firing thread. */
  public TimerQueue(InstantSource clock) {
    this.clock = clock;
    this.thread = Thread.ofPlatform().name("chiplog-workflow-timers").daemon().start(this::fireLoop);
  }

  /**
   * Schedules {@code action} at {@code dueAt} (epoch ms); cancel it through the entry. {@code
   * pending} counts it until it fires or is cancelled.
   */
  public Entry schedule(long dueAt, AtomicInteger pending, Runnable action) {
    lock.lock();
    try {
      var entry = new Entry(dueAt, sequence++, action, pending);
      heap.add(entry);
      pending.incrementAndGet();
      if (heap.peek() == entry) {
        changed.signal();
      }
      return entry;
    } finally {
      lock.unlock();
    }
  }

  private void fireLoop() {
    var due = new ArrayList<Entry>();
    while (true) {
      lock.lock();
      try {
        while (!closed && !dueNow()) {
          Entry first = heap.peek();
          if (first == null) {
            changed.await();
          } else {
            changed.await(Math.max(1, first.dueAt - clock.millis()), TimeUnit.MILLISECONDS);
          }
        }
        if (closed) {
          return;
        }
        long now = clock.millis();
        while (!heap.isEmpty() && heap.peek().dueAt <= now) {
          due.add(heap.poll());
        }
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      fire(due);
      due.clear();
    }
  }

  private boolean dueNow() {
    Entry first = heap.peek();
    return first != null && first.dueAt <= clock.millis();
  }

  private static void fire(List<Entry> due) {
    for (Entry entry : due) {
      Runnable action = entry.take();
      if (action != null) {
        try {
          action.run();
        } catch (RuntimeException e) {
          LOG.error("a workflow timer's action failed", e);
        }
      }
    }
  }

  /** Stops the thread; pending timers are not fired (they are in the store, and fire after a restart). */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A scheduled timer. */
  public static final class Entry implements Comparable<Entry> {
    final long dueAt;
    private final long sequence;
    private @Nullable Runnable action;
    private final AtomicInteger pending;
    private boolean done;

    private Entry(long dueAt, long sequence, Runnable action, AtomicInteger pending) {
      this.dueAt = dueAt;
      this.sequence = sequence;
      this.action = action;
      this.pending = pending;
    }

    /** Cancels the timer unless it fired; cancelling twice does nothing. */
    public void cancel() {
      take();
    }

    /**
     * Marks the entry done; its action for the one caller that got it first (the firing or a
     * cancel), null for any later one. The entry lets go of the action, so that a cancelled
     * entry waiting in the heap for its time holds no instance.
     */
    private synchronized @Nullable Runnable take() {
      if (done) {
        return null;
      }
      done = true;
      pending.decrementAndGet();
      Runnable taken = action;
      action = null;
      return taken;
    }

    @Override
    public int compareTo(Entry other) {
      int byTime = Long.compare(dueAt, other.dueAt);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }
}

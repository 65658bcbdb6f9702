package io.chiplog.api.spi;

import io.chiplog.api.StoreClosedException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The store's head position, and a wake-up for threads waiting for it to move. The writer calls
 * {@link #advance} after each commit becomes visible to readers; live subscribers block in {@link
 * #awaitAbove} instead of polling.
 *
 * <p>Thread-safe. The lock is held only to publish and to wait, never while reading or writing
 * events, so a waiting subscriber cannot slow the writer beyond one signal.
 */
public final class CommitSignal {
  private final String storeName;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition moved = lock.newCondition();
  private volatile long head;
  private volatile boolean closed;

  /**
   * Creates the signal at an initial head.
   *
   * @param storeName names the store in {@link StoreClosedException} messages
   * @param head the position of the last committed event, 0 for an empty store
   */
  public CommitSignal(String storeName, long head) {
    this.storeName = storeName;
    this.head = head;
  }

  /** The position of the last committed event. */
  public long head() {
    return head;
  }

  /**
   * Publishes a new head and wakes the waiters.
   *
   * @throws IllegalArgumentException when {@code newHead} is behind the current head
   */
  public void advance(long newHead) {
    lock.lock();
    try {
      if (newHead < head) {
        throw new IllegalArgumentException("head moves forward only: " + head + " -> " + newHead);
      }
      head = newHead;
      moved.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the head passes {@code position}, the timeout elapses, or {@link #wakeAll} is
   * called, and returns the head then (compare it with {@code position} to tell which). Does not
   * wait at all when {@code abandoned} says so: it is asked under the lock that {@link #wakeAll}
   * takes, so a waiter whose flag is set before a {@code wakeAll()} either sees the flag or
   * receives the wake-up; none is lost.
   *
   * @throws StoreClosedException when the store is closed, before or during the wait
   * @throws InterruptedException when the thread is interrupted
   */
  public long awaitAbove(long position, long timeoutNanos, BooleanSupplier abandoned)
      throws InterruptedException {
    lock.lock();
    try {
      if (closed) {
        throw new StoreClosedException(storeName);
      }
      if (head <= position && timeoutNanos > 0 && !abandoned.getAsBoolean()) {
        // One wait only: a spurious or wakeAll() return lets the caller re-check its own state.
        moved.awaitNanos(timeoutNanos);
      }
      if (closed) {
        throw new StoreClosedException(storeName);
      }
      return head;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiter without moving the head, e.g. so a closed subscription can return. */
  public void wakeAll() {
    lock.lock();
    try {
      moved.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Marks the store closed and wakes every waiter; they throw {@link StoreClosedException}. */
  public void close() {
    lock.lock();
    try {
      closed = true;
      moved.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** Throws {@link StoreClosedException} when closed. */
  public void ensureOpen() {
    if (closed) {
      throw new StoreClosedException(storeName);
    }
  }
}

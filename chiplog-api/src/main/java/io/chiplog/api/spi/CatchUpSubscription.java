package io.chiplog.api.spi;

import io.chiplog.api.EventSubscription;
import io.chiplog.api.Query;
import io.chiplog.api.RecordedEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A catch-up-then-live subscription built on a backend's paged reads and its {@link
 * CommitSignal}. Catch-up and live are the same loop: read the next page after the last position
 * scanned; when it is empty, wait for the head to pass that position. Because every page starts
 * right after the previous one ended, the hand-over from stored to new events can neither skip
 * nor repeat an event, provided the backend makes positions visible in order.
 *
 * <p>Memory is bounded: at most {@code bufferCapacity} fetched events wait in the buffer, and
 * nothing is fetched until the subscriber polls, so a stalled subscriber costs one page.
 *
 * <p>One thread polls at a time (the {@link EventSubscription} contract); {@link #close()} is
 * safe from any thread.
 */
public final class CatchUpSubscription implements EventSubscription {

  /** How a backend reads one page for a subscription. */
  @FunctionalInterface
  public interface PageReader {
    /**
     * Reads at most {@code max} events matching {@code query} with position {@code >=
     * fromPosition}, in position order.
     *
     * @return the events and the last position the read examined: the last event's position
     *     when the page is full, otherwise the head at the time of the read
     * @throws io.chiplog.api.StoreClosedException when the store is closed
     */
    Page readPage(Query query, long fromPosition, int max);
  }

  /**
   * One page of a subscription's read.
   *
   * @param events matching events in position order
   * @param scannedThrough every matching event up to this position is in {@code events} (or
   *     earlier pages)
   */
  public record Page(List<RecordedEvent> events, long scannedThrough) {
    /** Copies the events. */
    public Page {
      events = List.copyOf(events);
    }
  }

  private final CommitSignal commits;
  private final PageReader pages;
  private final Query query;
  private final int bufferCapacity;
  private final ArrayDeque<RecordedEvent> buffer;
  private long scannedThrough;
  private volatile long lastPosition;
  private volatile int buffered;
  private volatile boolean closed;

  /**
   * Creates a subscription; nothing is read until the first poll.
   *
   * @param commits the backend's commit signal, which live polls wait on
   * @param pages how the backend reads a page
   * @param fromPosition the first position to deliver, inclusive (0 and 1 both mean the start)
   * @param bufferCapacity the most events fetched ahead of the subscriber, 1 or more
   */
  public CatchUpSubscription(CommitSignal commits, PageReader pages, Query query, long fromPosition,
      int bufferCapacity) {
    if (fromPosition < 0) {
      throw new IllegalArgumentException("fromPosition must be 0 or more, was " + fromPosition);
    }
    if (bufferCapacity < 1) {
      throw new IllegalArgumentException("bufferCapacity must be 1 or more, was " + bufferCapacity);
    }
    commits.ensureOpen();
    this.commits = commits;
    this.pages = pages;
    this.query = query;
    this.bufferCapacity = bufferCapacity;
    this.buffer = new ArrayDeque<>(Math.min(bufferCapacity, 1024));
    this.scannedThrough = Math.max(fromPosition, 1) - 1;
    this.lastPosition = scannedThrough;
  }

  @Override
  public @Nullable RecordedEvent poll(Duration timeout) throws InterruptedException {
    List<RecordedEvent> one = poll(1, timeout);
    return one.isEmpty() ? null : one.getFirst();
  }

  @Override
  public List<RecordedEvent> poll(int max, Duration timeout) throws InterruptedException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be 1 or more, was " + max);
    }
    if (closed) {
      throw new IllegalStateException("subscription is closed");
    }
    commits.ensureOpen();
    if (buffer.isEmpty()) {
      fill(System.nanoTime() + timeout.toNanos());
    }
    var out = new ArrayList<RecordedEvent>(Math.min(max, buffer.size()));
    while (out.size() < max && !buffer.isEmpty()) {
      out.add(buffer.poll());
    }
    buffered = buffer.size();
    if (!out.isEmpty()) {
      lastPosition = out.getLast().position();
    }
    return out;
  }

  private void fill(long deadlineNanos) throws InterruptedException {
    while (!closed) {
      Page page = pages.readPage(query, scannedThrough + 1, bufferCapacity);
      if (page.scannedThrough() < scannedThrough) {
        throw new IllegalStateException(
            "source went backwards: scanned through " + page.scannedThrough() + " after "
                + scannedThrough);
      }
      scannedThrough = page.scannedThrough();
      if (!page.events().isEmpty()) {
        buffer.addAll(page.events());
        buffered = buffer.size();
        return;
      }
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        return;
      }
      commits.awaitAbove(scannedThrough, remaining, () -> closed);
    }
  }

  @Override
  public long lastPosition() {
    return lastPosition;
  }

  @Override
  public int bufferedEvents() {
    return buffered;
  }

  @Override
  public int bufferCapacity() {
    return bufferCapacity;
  }

  @Override
  public void close() {
    closed = true;
    // After setting the flag: a poller about to wait either sees it or gets this wake-up.
    // Not the buffer: the polling thread owns it. It drops with this object.
    commits.wakeAll();
  }
}

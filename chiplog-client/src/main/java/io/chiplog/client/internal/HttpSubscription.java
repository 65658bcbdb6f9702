package io.chiplog.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.api.ChiplogException;
import io.chiplog.api.EventSubscription;
import io.chiplog.api.Query;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StoreClosedException;
import io.chiplog.api.StoreIoException;
import io.chiplog.client.ClientOptions;
import io.chiplog.protocol.EventJson;
import io.chiplog.protocol.MalformedRequestException;
import io.chiplog.protocol.ReadJson;
import io.chiplog.protocol.WireJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A subscription over {@code POST /v1/subscribe}: a background virtual thread reads the NDJSON
 * answer into a buffer of at most {@code bufferCapacity} events, and {@link #poll} takes from
 * it. When the buffer is full the reader stops reading, so TCP flow control slows the server's
 * writes down to the subscriber's pace and nothing piles up in between.
 *
 * <p>When the connection is lost, the server ends the subscription (it is shutting down) or the
 * answer fails, the reader reconnects with exponential backoff and resumes after the last
 * position it received. Events at or before that position are dropped, so the subscriber sees
 * no gap and no duplicate across reconnects. Heartbeat lines are ignored. An answer that cannot
 * be retried (a 4xx other than 408 and 429, or a line that is not an event) ends the
 * subscription: the buffered events are still delivered, then {@code poll} throws the failure.
 *
 * <p>A state machine, guarded by {@code lock}: open, then closed by the subscriber, ended by the
 * client's close, or failed. One thread polls at a time; {@link #close()} is safe from any
 * thread.
 */
public final class HttpSubscription implements EventSubscription {
  private static final AtomicLong SERIAL = new AtomicLong();

  private final HttpTransport transport;
  private final Query query;
  private final int bufferCapacity;
  private final Duration backoffInitial;
  private final Duration backoffMax;
  private final Duration idleTimeout;
  private final Runnable onClose;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  /** Signalled when the buffer has room and when the subscription stops. */
  private final Condition roomOrStop = lock.newCondition();
  private final ArrayDeque<RecordedEvent> buffer;
  private @Nullable ChiplogException failure;

  private volatile boolean closed;
  private volatile boolean storeClosed;
  private volatile long lastPosition;
  private volatile int buffered;
  private volatile @Nullable InputStream body;
  private volatile @Nullable Thread reader;

  /** The last position the reader put into the buffer; the reader thread's alone. */
  private long lastReceived;

  /** When the reader last heard from the server, or left a full buffer; for the watchdog. */
  private volatile long heardNanos = System.nanoTime();

  /** Whether the reader waits for room in a full buffer, so silence is its own doing. */
  private volatile boolean waitingForRoom;

  private HttpSubscription(
      HttpTransport transport, Query query, long fromPosition, ClientOptions options, Runnable onClose) {
    this.transport = transport;
    this.query = query;
    this.bufferCapacity = options.subscriptionBufferCapacity();
    this.backoffInitial = options.reconnectBackoffInitial();
    this.backoffMax = options.reconnectBackoffMax();
    this.idleTimeout = options.subscriptionIdleTimeout();
    this.onClose = onClose;
    this.buffer = new ArrayDeque<>(Math.min(this.bufferCapacity, 1024));
    this.lastReceived = Math.max(fromPosition, 1) - 1;
    this.lastPosition = lastReceived;
  }

  /**
   * Subscribes and returns once the server has accepted the subscription; the events then
   * arrive in the background.
   *
   * @param onClose called once when the subscriber closes the subscription
   * @throws StoreIoException when the server cannot be reached or refuses the subscription
   * @throws StoreClosedException when the transport is closed
   */
  public static HttpSubscription open(
      HttpTransport transport,
      Query query,
      long fromPosition,
      ClientOptions options,
      Runnable onClose) {
    var subscription = new HttpSubscription(transport, query, fromPosition, options, onClose);
    HttpRequest request = subscription.request(fromPosition);
    HttpResponse<InputStream> first =
        transport.send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (first.statusCode() != 200) {
      throw transport.errorAnswer(request, first.statusCode(), first.body());
    }
    Thread thread =
        Thread.ofVirtual()
            .name("chiplog-subscription-" + SERIAL.incrementAndGet())
            .unstarted(() -> subscription.run(first));
    subscription.reader = thread;
    thread.start();
    return subscription;
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
    long nanos = saturatedNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (true) {
        ensureUsable();
        if (!buffer.isEmpty()) {
          break;
        }
        if (failure != null) {
          throw failure;
        }
        if (nanos <= 0) {
          return List.of();
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      var out = new ArrayList<RecordedEvent>(Math.min(max, buffer.size()));
      while (out.size() < max && !buffer.isEmpty()) {
        out.add(buffer.pollFirst());
      }
      buffered = buffer.size();
      lastPosition = out.getLast().position();
      roomOrStop.signalAll();
      return out;
    } finally {
      lock.unlock();
    }
  }

  private void ensureUsable() {
    if (closed) {
      throw new IllegalStateException("subscription is closed");
    }
    if (storeClosed) {
      throw transport.closedError();
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
    if (closed) {
      return;
    }
    closed = true;
    stop();
    onClose.run();
  }

  /** Ends the subscription because the client was closed: polls throw {@link StoreClosedException}. */
  public void endBecauseClientClosed() {
    storeClosed = true;
    stop();
  }

  private boolean stopped() {
    return closed || storeClosed;
  }

  /** Wakes every waiter and unblocks the reader, wherever it is. */
  private void stop() {
    lock.lock();
    try {
      notEmpty.signalAll();
      roomOrStop.signalAll();
    } finally {
      lock.unlock();
    }
    Thread thread = reader;
    if (thread != null) {
      thread.interrupt();
    }
    closeQuietly(body);
  }

  // --- the reader thread ---

  private void run(HttpResponse<InputStream> first) {
    @Nullable HttpResponse<InputStream> response = first;
    Duration backoff = backoffInitial;
    try {
      while (!stopped()) {
        if (response != null && follow(response)) {
          // Only an answer that delivered something proves the server healthy: one that fails
          // at once again and again must keep backing off.
          backoff = backoffInitial;
        }
        if (stopped()) {
          return;
        }
        awaitBackoff(backoff);
        backoff = backoff.multipliedBy(2).compareTo(backoffMax) > 0 ? backoffMax : backoff.multipliedBy(2);
        response = stopped() ? null : reconnect();
      }
    } catch (InterruptedException e) {
      // Stopped: close() interrupts the reader wherever it waits.
    } catch (ChiplogException e) {
      if (!stopped()) {
        fail(e);
      }
    } catch (RuntimeException e) {
      // A bug must not leave the subscriber polling an empty buffer forever: make it an error.
      if (!stopped()) {
        fail(new StoreIoException(
            "the subscription to the chiplog server at " + transport.baseUri() + " failed: " + e, e));
      }
    }
  }

  /**
   * Reads one answer until it ends: by the server's end message, at EOF or by an error.
   *
   * @return whether the answer carried at least one line
   */
  private boolean follow(HttpResponse<InputStream> response) throws InterruptedException {
    InputStream in = response.body();
    body = in;
    boolean heard = false;
    if (stopped()) {
      // close() may have run before the field was set, and then did not close this answer.
      closeQuietly(in);
      return false;
    }
    heardNanos = System.nanoTime();
    Thread watchdog = Thread.ofVirtual().name("chiplog-subscription-watchdog").start(() -> watch(in));
    try (var lines = transport.lines(in)) {
      for (JsonNode line = lines.next(); line != null; line = lines.next()) {
        heardNanos = System.nanoTime();
        heard = true;
        if (line.has("position")) {
          RecordedEvent event = EventJson.readRecordedEvent(line);
          if (event.position() > lastReceived) {
            if (!put(event)) {
              return heard;
            }
            lastReceived = event.position();
          }
        } else if (line.has("end")) {
          return heard;
        }
        // Anything else is a heartbeat: the connection is alive, nothing to deliver.
      }
    } catch (JsonProcessingException | NdjsonReader.LineTooLongException e) {
      // A whole line that is not an event: reconnecting would read the same line again.
      throw new StoreIoException(
          "the subscription to the chiplog server at " + transport.baseUri()
              + " received a line the client cannot read: " + e.getMessage(),
          e);
    } catch (IOException e) {
      // The connection broke or the answer was cut short: reconnect after lastReceived.
    } catch (MalformedRequestException e) {
      throw new StoreIoException(
          "the subscription to the chiplog server at " + transport.baseUri()
              + " received an event the client cannot read: " + e.getMessage(),
          e);
    } finally {
      watchdog.interrupt();
      body = null;
    }
    return heard;
  }

  /**
   * Closes {@code in} when the server has been silent longer than the idle timeout: a live
   * server sends at least heartbeats, so the connection is dead without either side being told
   * (a half-open TCP connection), and closing it makes the reader reconnect. Silence while the
   * reader waits for room in a full buffer does not count: the reader is not listening then.
   */
  private void watch(InputStream in) {
    long tick = Math.max(1, Math.min(idleTimeout.toNanos() / 4, 1_000_000_000L));
    try {
      while (!stopped()) {
        LockSupport.parkNanos(tick);
        if (Thread.interrupted()) {
          return;
        }
        if (!waitingForRoom && System.nanoTime() - heardNanos > idleTimeout.toNanos()) {
          closeQuietly(in);
          return;
        }
      }
    } finally {
      Thread.interrupted();
    }
  }

  /** Puts {@code event} into the buffer, waiting for room; false when the subscription stopped. */
  private boolean put(RecordedEvent event) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      if (buffer.size() >= bufferCapacity) {
        waitingForRoom = true;
        try {
          while (buffer.size() >= bufferCapacity && !stopped()) {
            roomOrStop.await();
          }
        } finally {
          heardNanos = System.nanoTime();
          waitingForRoom = false;
        }
      }
      if (stopped()) {
        return false;
      }
      buffer.addLast(event);
      buffered = buffer.size();
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void awaitBackoff(Duration wait) throws InterruptedException {
    long nanos = wait.toNanos();
    lock.lockInterruptibly();
    try {
      while (nanos > 0 && !stopped()) {
        nanos = roomOrStop.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Subscribes again after the last position received.
   *
   * @return the answer, or null when the attempt failed in a way worth retrying
   * @throws ChiplogException when the server refuses in a way that retrying cannot fix
   */
  private @Nullable HttpResponse<InputStream> reconnect() {
    HttpRequest request = request(lastReceived + 1);
    HttpResponse<InputStream> response;
    try {
      response = transport.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (StoreClosedException e) {
      throw e;
    } catch (StoreIoException e) {
      return null;
    }
    int status = response.statusCode();
    if (status == 200) {
      return response;
    }
    ChiplogException refused = transport.errorAnswer(request, status, response.body());
    if (isRetryable(status)) {
      return null;
    }
    throw refused;
  }

  private static boolean isRetryable(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  private void fail(ChiplogException error) {
    lock.lock();
    try {
      failure = error;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private HttpRequest request(long fromPosition) {
    return transport
        .request("/v1/subscribe?encoding=base64")
        .header("Content-Type", WireJson.JSON)
        .header("Accept", WireJson.NDJSON)
        .POST(HttpTransport.json(out -> ReadJson.writeSubscribeRequest(out, query, fromPosition)))
        .build();
  }

  private static long saturatedNanos(Duration timeout) {
    try {
      return timeout.toNanos();
    } catch (ArithmeticException e) {
      return timeout.isNegative() ? 0 : Long.MAX_VALUE;
    }
  }

  private static void closeQuietly(@Nullable InputStream in) {
    if (in == null) {
      return;
    }
    try {
      in.close();
    } catch (IOException ignored) {
      // The answer is abandoned; nothing to learn from a failure to close it.
    }
  }
}

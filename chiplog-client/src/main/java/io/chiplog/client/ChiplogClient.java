package io.chiplog.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.AppendResult;
import io.chiplog.api.ChiplogException;
import io.chiplog.api.Direction;
import io.chiplog.api.EventStore;
import io.chiplog.api.EventSubscription;
import io.chiplog.api.NamingRules;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StoreClosedException;
import io.chiplog.api.StoreIoException;
import io.chiplog.api.StreamNotFoundException;
import io.chiplog.client.internal.EventLines;
import io.chiplog.client.internal.HttpSubscription;
import io.chiplog.client.internal.HttpTransport;
import io.chiplog.protocol.AppendJson;
import io.chiplog.protocol.DataEncoding;
import io.chiplog.protocol.MalformedRequestException;
import io.chiplog.protocol.ReadJson;
import io.chiplog.protocol.WireJson;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The {@link EventStore} of a Chiplog server, over HTTP API v1. It behaves as the embedded store
 * does, with the same values and the same exceptions: an append that conflicts throws {@link
 * io.chiplog.api.AppendConflictException} with the same reason, reading an unknown stream throws
 * {@link StreamNotFoundException}. What only a network adds, an unreachable server, a timeout or
 * an answer cut short, is a {@link StoreIoException} naming the server.
 *
 * <pre>{@code
 * try (EventStore store = ChiplogClient.connect(URI.create("http://127.0.0.1:7171"))) {
 *   store.append(AppendRequest.of(EventData.ofJson("BookAdded", "{\"title\":\"Dune\"}")));
 *   try (var books = store.read(Query.types("BookAdded"))) {
 *     books.forEach(System.out::println);
 *   }
 * }
 * }</pre>
 *
 * <p>Payloads travel as base64, so the bytes read back are exactly the bytes written. Reads are
 * lazy: events are parsed as the stream is consumed, and closing the stream releases the
 * connection. A subscription fetches ahead into a buffer of {@link
 * ClientOptions#subscriptionBufferCapacity()} events and reconnects by itself, without gap or
 * duplicate, when the connection is lost or the server restarts.
 *
 * <p>An append that fails with {@link StoreIoException} may or may not have been written (the
 * connection may have broken after the server received it); retry it with the same event ids,
 * which is idempotent.
 *
 * <p>Thread-safe: all callers share one pool of connections. Close the client to close its
 * connections and end its subscriptions; it does not stop the server.
 */
public final class ChiplogClient implements EventStore {
  private static final String ENCODING = "encoding=" + DataEncoding.BASE64.parameter();

  private final ClientOptions clientOptions;
  private final HttpTransport transport;
  private final Set<HttpSubscription> subscriptions = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private ChiplogClient(ClientOptions options) {
    this.clientOptions = options;
    this.transport =
        new HttpTransport(
            options.baseUri(), options.connectTimeout(), options.requestTimeout(), lineMaxBytes(options));
  }

  /**
   * A client of the server at {@code baseUri} with the default options. It connects on the
   * first call, so an unreachable server shows as a {@link StoreIoException} then.
   *
   * @throws IllegalArgumentException when {@code baseUri} is not an http or https address
   */
  public static ChiplogClient connect(URI baseUri) {
    return connect(ClientOptions.builder(baseUri).build());
  }

  /** A client with {@code options}; it connects on the first call. */
  public static ChiplogClient connect(ClientOptions options) {
    return new ChiplogClient(Objects.requireNonNull(options, "options"));
  }

  /** The options the client was created with. */
  public ClientOptions options() {
    return clientOptions;
  }

  /**
   * {@inheritDoc}
   *
   * <p>An answer lost on the wire (a reset, a pooled connection the server had just closed) is
   * not the end: the same append is sent again, up to three times in all. That is safe because
   * the events keep their ids, and an exact retry of a stored append returns its original
   * result and writes nothing.
   *
   * @throws io.chiplog.api.AppendConflictException when a check fails; nothing was written
   * @throws io.chiplog.api.TooLargeException when an event or the append exceeds the limits
   * @throws StoreIoException when the server cannot be reached (three times), does not answer
   *     in time or reports a storage failure; the append may have been written: send it again
   * @throws StoreClosedException when the client is closed
   */
  @Override
  public AppendResult append(AppendRequest request) {
    ensureOpen();
    clientOptions.limits().check(request);
    HttpRequest http = appendRequest(request);
    for (int attempt = 1; ; attempt++) {
      HttpResponse<byte[]> response;
      try {
        response = transport.send(http, HttpResponse.BodyHandlers.ofByteArray());
      } catch (StoreIoException lostOnTheWire) {
        // The answer was lost (a pooled connection the server had just closed, a reset): the
        // append may or may not be stored. Sending the same events again is safe — an exact
        // retry of a stored append returns its original result and writes nothing.
        if (attempt >= TRANSPORT_ATTEMPTS_MAX || closed) {
          throw lostOnTheWire;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(RETRY_PAUSE_NANOS * attempt);
        continue;
      }
      return appendResult(http, response);
    }
  }

  /** Sends of one append before a lost answer is the caller's to handle. */
  private static final int TRANSPORT_ATTEMPTS_MAX = 3;

  private static final long RETRY_PAUSE_NANOS = 20_000_000L;

  /**
   * Appends as {@link #append} does, without blocking the calling thread; the future fails
   * with the exceptions {@link #append} throws.
   */
  @Override
  public CompletableFuture<AppendResult> appendAsync(AppendRequest request) {
    HttpRequest http;
    try {
      ensureOpen();
      clientOptions.limits().check(request);
      http = appendRequest(request);
    } catch (ChiplogException e) {
      return CompletableFuture.failedFuture(e);
    }
    return sendAppend(http, 1).thenApply(response -> appendResult(http, response));
  }

  /** Sends an append, again after a lost answer (see {@link #append}), up to the maximum. */
  private CompletableFuture<HttpResponse<byte[]>> sendAppend(HttpRequest http, int attempt) {
    return transport.sendAsync(http, HttpResponse.BodyHandlers.ofByteArray()).exceptionallyCompose(error -> {
      Throwable cause = error instanceof java.util.concurrent.CompletionException wrapped && wrapped.getCause() != null
          ? wrapped.getCause() : error;
      if (cause instanceof StoreIoException && attempt < TRANSPORT_ATTEMPTS_MAX && !closed) {
        var later = CompletableFuture.delayedExecutor(RETRY_PAUSE_NANOS * attempt, java.util.concurrent.TimeUnit.NANOSECONDS);
        return CompletableFuture.supplyAsync(() -> attempt + 1, later).thenCompose(next -> sendAppend(http, next));
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  private HttpRequest appendRequest(AppendRequest request) {
    return transport
        .request("/v1/append")
        .header("Content-Type", WireJson.JSON)
        .POST(HttpTransport.json(out -> AppendJson.writeRequest(out, request)))
        .build();
  }

  private AppendResult appendResult(HttpRequest http, HttpResponse<byte[]> response) {
    if (response.statusCode() != 200) {
      throw transport.errorAnswer(http, response.statusCode(), response.body());
    }
    try {
      return AppendJson.readResult(transport.parse(http, response.body()));
    } catch (MalformedRequestException e) {
      throw unreadable(http, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The stream reads the answer as it is consumed; close it to release the connection. When
   * the read fails after it began, consuming the stream throws {@link StoreIoException}.
   *
   * @throws StoreIoException when the server cannot be reached or the read fails
   * @throws StoreClosedException when the client is closed
   */
  @Override
  public Stream<RecordedEvent> read(Query query, ReadOptions options) {
    ensureOpen();
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(options, "options");
    HttpRequest http =
        transport
            .request("/v1/read?" + ENCODING)
            .header("Content-Type", WireJson.JSON)
            .header("Accept", WireJson.NDJSON)
            .POST(HttpTransport.json(out -> ReadJson.writeReadRequest(out, query, options)))
            .build();
    return events(http);
  }

  /**
   * {@inheritDoc}
   *
   * @throws StreamNotFoundException when the stream has no events; thrown by this call, before
   *     the stream is consumed
   * @throws io.chiplog.api.InvalidEventException when {@code stream} is not a valid stream name
   * @throws StoreIoException when the server cannot be reached or the read fails
   * @throws StoreClosedException when the client is closed
   */
  @Override
  public Stream<RecordedEvent> readStream(String stream, ReadOptions options) {
    ensureOpen();
    NamingRules.checkStream(stream, "stream");
    Objects.requireNonNull(options, "options");
    String query =
        "?from=" + options.from()
            + (options.limit() == ReadOptions.NO_LIMIT ? "" : "&limit=" + options.limit())
            + "&backwards=" + (options.direction() == Direction.BACKWARDS)
            + "&" + ENCODING;
    HttpRequest http =
        transport
            .request("/v1/streams/" + stream + query)
            .header("Accept", WireJson.NDJSON)
            .GET()
            .build();
    return events(http);
  }

  /** Sends a read and returns its events; an error answer is thrown here, before streaming. */
  private Stream<RecordedEvent> events(HttpRequest http) {
    HttpResponse<InputStream> response =
        transport.send(http, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      throw transport.errorAnswer(http, response.statusCode(), response.body());
    }
    return EventLines.stream(transport, http, response.body());
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreIoException when the server cannot be reached
   * @throws StoreClosedException when the client is closed
   */
  @Override
  public long head() {
    ensureOpen();
    HttpRequest http = transport.request("/v1/head").GET().build();
    HttpResponse<byte[]> response = transport.send(http, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw transport.errorAnswer(http, response.statusCode(), response.body());
    }
    JsonNode position = transport.parse(http, response.body()).get("position");
    if (position == null || !position.canConvertToLong() || position.longValue() < 0) {
      throw new StoreIoException(
          "GET " + http.uri() + " answered without a position of 0 or more: " + position);
    }
    return position.longValue();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Returns once the server has accepted the subscription. The events then arrive in the
   * background into a buffer of {@link ClientOptions#subscriptionBufferCapacity()} events; when
   * the connection is lost, the subscription reconnects with backoff and resumes after the last
   * event it received.
   *
   * @throws IllegalArgumentException when {@code fromPosition} is negative
   * @throws StoreIoException when the server cannot be reached or refuses the subscription
   * @throws StoreClosedException when the client is closed
   */
  @Override
  public EventSubscription subscribe(Query query, long fromPosition) {
    if (fromPosition < 0) {
      throw new IllegalArgumentException("fromPosition must be 0 or more, was " + fromPosition);
    }
    ensureOpen();
    Objects.requireNonNull(query, "query");
    var holder = new HttpSubscription[1];
    HttpSubscription subscription =
        HttpSubscription.open(
            transport,
            query,
            fromPosition,
            clientOptions,
            () -> subscriptions.remove(holder[0]));
    holder[0] = subscription;
    subscriptions.add(subscription);
    if (closed) {
      // close() ran while this subscription was opening and may not have seen it.
      subscription.endBecauseClientClosed();
      throw transport.closedError();
    }
    return subscription;
  }

  /**
   * Closes the client: later calls throw {@link StoreClosedException}, open subscriptions end
   * (their polls throw it too), reads in progress fail, and the connections close. Appends the
   * server acknowledged stay durable. Closing again does nothing.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (HttpSubscription subscription : subscriptions) {
      subscription.endBecauseClientClosed();
    }
    subscriptions.clear();
    transport.close();
  }

  /**
   * The longest answer line read: one event of the largest size the limits allow, in base64
   * (4/3 of it) with room for its id, type, tags and stream. A server that sends more is not
   * one whose limits the client shares, or not a Chiplog server; either way, not buffered.
   */
  private static int lineMaxBytes(ClientOptions options) {
    return (int) Math.min(Integer.MAX_VALUE - 8, 2 * options.limits().eventSizeMaxBytes() + (1 << 20));
  }

  private void ensureOpen() {
    if (closed) {
      throw transport.closedError();
    }
  }

  private static StoreIoException unreadable(HttpRequest http, MalformedRequestException e) {
    return new StoreIoException(
        http.method() + " " + http.uri() + " answered with something the client cannot read: "
            + e.getMessage(),
        e);
  }

  @Override
  public String toString() {
    return "ChiplogClient[" + clientOptions.baseUri() + "]";
  }
}

package io.chiplog.server.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.chiplog.api.EventStore;
import io.chiplog.api.EventSubscription;
import io.chiplog.api.Query;
import io.chiplog.api.QueryItem;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StoreClosedException;
import io.chiplog.protocol.DataEncoding;
import io.chiplog.protocol.ErrorCode;
import io.chiplog.protocol.EventJson;
import io.chiplog.protocol.MalformedRequestException;
import io.chiplog.protocol.ReadJson;
import io.chiplog.protocol.WireJson;
import io.chiplog.server.ServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.http.HttpHeader;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET|POST /v1/subscribe}: catch-up then live, as server-sent events ({@code id:} is the
 * position, so a browser's {@code EventSource} resumes with {@code Last-Event-ID}) or as NDJSON.
 *
 * <p>Back-pressure is the pull itself: the endpoint polls the store's subscription for at most
 * one page, writes it, and blocks in that write until the client has taken the bytes. A client
 * that stops reading therefore holds one page and a socket buffer, never more; when a write has
 * been blocked for the stall timeout, Jetty fails it and the subscription is closed. An idle
 * subscription gets a heartbeat every heartbeat interval; a stopping server ends every
 * subscription with a final {@code end} message.
 */
final class SubscribeEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(SubscribeEndpoint.class);
  private static final Set<String> GET_PARAMETERS = Set.of("from", "types", "tags", "encoding");
  private static final Set<String> POST_PARAMETERS = Set.of("encoding");
  private static final int PAGE_EVENTS = 512;

  private final EventStore store;
  private final ServerMetrics metrics;
  private final ServerOptions options;
  private final Semaphore permits;
  private final Set<EventSubscription> open = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  SubscribeEndpoint(EventStore store, ServerMetrics metrics, ServerOptions options) {
    this.store = store;
    this.metrics = metrics;
    this.options = options;
    this.permits = new Semaphore(options.subscribersMax());
  }

  /** Ends every open subscription with a final message and refuses new ones. */
  void stop() {
    stopping = true;
    open.forEach(EventSubscription::close);
  }

  void handle(Exchange exchange) throws IOException {
    boolean get = exchange.method().equals("GET");
    exchange.allowParameters(get ? GET_PARAMETERS : POST_PARAMETERS);
    DataEncoding encoding = ReadEndpoint.encoding(exchange);
    Query query;
    long from;
    if (get) {
      query = queryFromParameters(exchange);
      from = ReadJson.nonNegativeParameter("from", exchange.parameter("from"), 0);
    } else {
      var request = ReadJson.readSubscribeRequest(exchange.jsonBody(options.bodyMaxBytes()));
      // The body is read: a subscription lives long and must not hold a large-body permit.
      exchange.release();
      query = request.query();
      from = request.from();
    }
    String lastEventId = exchange.header("Last-Event-ID");
    if (lastEventId != null && !lastEventId.isBlank()) {
      long lastSeen = ReadJson.nonNegativeParameter("Last-Event-ID", lastEventId.trim(), 0);
      if (lastSeen == Long.MAX_VALUE) {
        throw new MalformedRequestException("Last-Event-ID", "is past the last possible position");
      }
      from = lastSeen + 1;
    }
    if (stopping) {
      throw new Exchange.HttpProblem(ErrorCode.UNAVAILABLE, "the server is shutting down");
    }
    if (!permits.tryAcquire()) {
      exchange.response().getHeaders().put(HttpHeader.RETRY_AFTER, 1);
      throw new Exchange.HttpProblem(
          ErrorCode.TOO_MANY_REQUESTS,
          "the server already serves " + options.subscribersMax() + " subscriptions (--subscribers-max)");
    }
    try {
      Frames frames = exchange.accepts(WireJson.EVENT_STREAM) ? new SseFrames(encoding) : new NdjsonFrames(encoding);
      serve(exchange, store.subscribe(query, from), frames);
    } finally {
      permits.release();
    }
  }

  private static Query queryFromParameters(Exchange exchange) {
    List<String> types = list(exchange.parameter("types"));
    List<String> tags = list(exchange.parameter("tags"));
    if (types.isEmpty() && tags.isEmpty()) {
      return Query.all();
    }
    try {
      return Query.of(QueryItem.of(types, tags));
    } catch (io.chiplog.api.InvalidEventException e) {
      throw new MalformedRequestException(e.field(), e.problem());
    }
  }

  private static List<String> list(@Nullable String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return List.of();
    }
    return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private void serve(Exchange exchange, EventSubscription subscription, Frames frames)
      throws IOException {
    open.add(subscription);
    if (stopping) {
      // stop() may have run between the check in handle() and the line above, and then did not
      // see this subscription: end it now, so the loop below writes the end message at once.
      subscription.close();
    }
    metrics.subscriberOpened();
    exchange.response().getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    try (subscription;
        OutputStream body = exchange.stream(200, frames.contentType())) {
      frames.opening(subscription.lastPosition() + 1);
      flush(frames, body);
      long quietSince = System.nanoTime();
      Duration heartbeat = options.heartbeatInterval();
      while (true) {
        List<RecordedEvent> events;
        try {
          long quiet = System.nanoTime() - quietSince;
          long wait = Math.max(1, heartbeat.toNanos() - quiet);
          events = subscription.poll(PAGE_EVENTS, Duration.ofNanos(wait));
        } catch (IllegalStateException | StoreClosedException ended) {
          end(frames, body, subscription);
          return;
        }
        if (!events.isEmpty()) {
          for (RecordedEvent event : events) {
            frames.event(event);
          }
          flush(frames, body);
          metrics.delivered(events.size());
          quietSince = System.nanoTime();
        } else if (System.nanoTime() - quietSince >= heartbeat.toNanos()) {
          long head;
          try {
            head = store.head();
          } catch (StoreClosedException closed) {
            end(frames, body, subscription);
            return;
          }
          frames.heartbeat(head);
          flush(frames, body);
          quietSince = System.nanoTime();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The client went away, or stopped reading for the stall timeout: either way it is gone.
      LOG.atDebug().addKeyValue("reason", e.toString()).log("subscriber disconnected");
    } finally {
      open.remove(subscription);
      metrics.subscriberClosed();
    }
  }

  /** Writes the final message: the server stops, or the store closed under it. */
  private void end(Frames frames, OutputStream body, EventSubscription subscription) throws IOException {
    frames.end(stopping ? "the server is shutting down" : "the store was closed", subscription.lastPosition());
    flush(frames, body);
  }

  private static void flush(Frames frames, OutputStream body) throws IOException {
    frames.drainTo(body);
    body.flush();
  }

  /** Encodes one subscription's output into a reusable buffer. Not thread-safe. */
  private abstract static class Frames {
    final ByteArrayOutputStream buffer = new ByteArrayOutputStream(8192);
    final JsonGenerator json = WireJson.generator(buffer);
    final DataEncoding encoding;

    Frames(DataEncoding encoding) {
      this.encoding = encoding;
    }

    abstract String contentType();

    abstract void opening(long from) throws IOException;

    abstract void event(RecordedEvent event) throws IOException;

    abstract void heartbeat(long head) throws IOException;

    abstract void end(String reason, long lastPosition) throws IOException;

    final void eventJson(RecordedEvent event) throws IOException {
      EventJson.writeRecordedEvent(json, event, encoding);
      json.flush();
    }

    final void drainTo(OutputStream out) throws IOException {
      json.flush();
      buffer.writeTo(out);
      buffer.reset();
    }

    final void ascii(String text) {
      buffer.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** {@code text/event-stream}: {@code id:} and {@code data:} per event, comments as heartbeats. */
  private static final class SseFrames extends Frames {
    SseFrames(DataEncoding encoding) {
      super(encoding);
    }

    @Override
    String contentType() {
      return WireJson.EVENT_STREAM + ";charset=utf-8";
    }

    @Override
    void opening(long from) {
      // retry: how long a browser waits before reconnecting with Last-Event-ID.
      ascii("retry: 1000\n: subscribed from position " + from + "\n\n");
    }

    @Override
    void event(RecordedEvent event) throws IOException {
      ascii("id: " + event.position() + "\ndata: ");
      eventJson(event);
      ascii("\n\n");
    }

    @Override
    void heartbeat(long head) {
      ascii(": heartbeat head=" + head + "\n\n");
    }

    @Override
    void end(String reason, long lastPosition) throws IOException {
      ascii("event: end\ndata: ");
      json.writeStartObject();
      json.writeStringField("reason", reason);
      json.writeNumberField("lastPosition", lastPosition);
      json.writeEndObject();
      json.flush();
      ascii("\n\n");
    }
  }

  /**
   * {@code application/x-ndjson}: one event per line; control lines have no {@code position}:
   * {@code {"heartbeat":true,"head":N}} and a final {@code {"end":true,"reason":…}}.
   */
  private static final class NdjsonFrames extends Frames {
    NdjsonFrames(DataEncoding encoding) {
      super(encoding);
    }

    @Override
    String contentType() {
      return WireJson.NDJSON;
    }

    @Override
    void opening(long from) {
      // Nothing to say: the status line and headers tell the client it is subscribed.
    }

    @Override
    void event(RecordedEvent event) throws IOException {
      eventJson(event);
      ascii("\n");
    }

    @Override
    void heartbeat(long head) {
      ascii("{\"heartbeat\":true,\"head\":" + head + "}\n");
    }

    @Override
    void end(String reason, long lastPosition) throws IOException {
      json.writeStartObject();
      json.writeBooleanField("end", true);
      json.writeStringField("reason", reason);
      json.writeNumberField("lastPosition", lastPosition);
      json.writeEndObject();
      json.flush();
      ascii("\n");
    }
  }
}

package io.chiplog.server.internal;

import io.chiplog.api.EventStore;
import io.chiplog.protocol.ErrorCode;
import io.chiplog.protocol.ErrorJson;
import io.chiplog.server.ServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router of HTTP API v1. Jetty calls it on a virtual thread per request (it declares itself
 * blocking); it picks the endpoint by method and path, and turns whatever the endpoint throws
 * into the error JSON of DESIGN §4. Thread-safe: endpoints hold no per-request state.
 */
public final class ApiHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

  private final EventStore store;
  private final AppendEndpoint append;
  private final ReadEndpoint read;
  private final SubscribeEndpoint subscribe;
  private final ServerMetrics metrics;
  private final byte[] openApi;
  private final LargeBodyGate largeBodies;
  private volatile boolean stopping;

  /** Serves {@code store} with {@code options}, counting into {@code metrics}. */
  public ApiHandler(EventStore store, ServerOptions options, ServerMetrics metrics) {
    super(InvocationType.BLOCKING);
    this.store = store;
    this.metrics = metrics;
    this.append = new AppendEndpoint(store, metrics, options.bodyMaxBytes());
    this.read = new ReadEndpoint(store, options.bodyMaxBytes());
    this.subscribe = new SubscribeEndpoint(store, metrics, options);
    this.openApi = resource("/io/chiplog/server/openapi.json");
    this.largeBodies = new LargeBodyGate(options.largeBodiesMax(), options.stallTimeout());
  }

  /** Marks the server not ready and ends every subscription; requests in flight go on. */
  public void beginShutdown() {
    stopping = true;
    subscribe.stop();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    var exchange = new Exchange(request, response, largeBodies);
    try {
      route(exchange);
      callback.succeeded();
    } catch (Throwable error) {
      answerError(exchange, response, callback, error);
    } finally {
      exchange.release();
    }
    return true;
  }

  private void route(Exchange exchange) throws IOException {
    String path = exchange.path();
    String method = exchange.method();
    switch (path) {
      case "/v1/append" -> only(exchange, "POST", () -> append.handle(exchange));
      case "/v1/read" -> only(exchange, "POST", () -> read.read(exchange));
      case "/v1/subscribe" -> {
        if (!method.equals("GET") && !method.equals("POST")) {
          throw notAllowed(exchange, "GET, POST");
        }
        subscribe.handle(exchange);
      }
      case "/v1/head" -> only(exchange, "GET", () -> head(exchange));
      case "/v1/openapi.json" -> only(exchange, "GET", () -> exchange.send(200, "application/json", openApi));
      case "/health", "/health/ready" -> only(exchange, "GET", () -> health(exchange, false));
      case "/health/live" -> only(exchange, "GET", () -> health(exchange, true));
      case "/metrics" ->
          only(exchange, "GET", () -> exchange.send(200, "text/plain; version=0.0.4; charset=utf-8",
              metrics.scrape().getBytes(StandardCharsets.UTF_8)));
      default -> {
        if (ReadEndpoint.isStreamPath(path)) {
          if (!method.equals("GET")) {
            throw notAllowed(exchange, "GET");
          }
          read.readStream(exchange);
        } else {
          throw new Exchange.HttpProblem(ErrorCode.NOT_FOUND, "no such endpoint: " + method + " " + path);
        }
      }
    }
  }

  /** An endpoint body that may fail with I/O. */
  @FunctionalInterface
  private interface Endpoint {
    void run() throws IOException;
  }

  private static void only(Exchange exchange, String allowed, Endpoint endpoint) throws IOException {
    if (!exchange.method().equals(allowed)) {
      throw notAllowed(exchange, allowed);
    }
    endpoint.run();
  }

  private static Exchange.HttpProblem notAllowed(Exchange exchange, String allowed) {
    exchange.response().getHeaders().put(HttpHeader.ALLOW, allowed);
    return new Exchange.HttpProblem(ErrorCode.METHOD_NOT_ALLOWED, "use " + allowed);
  }

  private void head(Exchange exchange) throws IOException {
    exchange.allowParameters(Set.of());
    long head = store.head();
    exchange.json(200, out -> {
      out.writeStartObject();
      out.writeNumberField("position", head);
      out.writeEndObject();
    });
  }

  private boolean ready() {
    if (stopping) {
      return false;
    }
    try {
      store.head();
      return true;
    } catch (RuntimeException closedOrFailed) {
      return false;
    }
  }

  /** Answers 200 when {@code liveOnly} or ready, 503 otherwise; the body says which. */
  private void health(Exchange exchange, boolean liveOnly) throws IOException {
    boolean isReady = ready();
    boolean up = liveOnly || isReady;
    exchange.json(up ? 200 : 503, out -> {
      out.writeStartObject();
      out.writeStringField("status", isReady ? "up" : stopping ? "stopping" : "down");
      out.writeBooleanField("live", true);
      out.writeBooleanField("ready", isReady);
      out.writeNumberField("subscribers", metrics.activeSubscribers());
      out.writeEndObject();
    });
  }

  private static void answerError(Exchange exchange, Response response, Callback callback, Throwable error) {
    if (ErrorJson.codeOf(error) == ErrorCode.INTERNAL && !(error instanceof Exchange.HttpProblem)) {
      if (error instanceof IOException || error instanceof UncheckedIOException) {
        // The client went away mid-answer; nothing to tell it.
        LOG.atDebug().addKeyValue("path", exchange.path()).addKeyValue("reason", error.toString())
            .log("request ended by an I/O error");
        callback.failed(error);
        return;
      }
      LOG.atError().addKeyValue("method", exchange.method()).addKeyValue("path", exchange.path())
          .setCause(error).log("request failed");
    }
    if (response.isCommitted()) {
      // Too late for a status: cut the response short so the client sees a failed transfer.
      LOG.atWarn().addKeyValue("method", exchange.method()).addKeyValue("path", exchange.path())
          .addKeyValue("reason", error.toString()).log("answer cut short by an error after it began");
      callback.failed(error);
      return;
    }
    try {
      exchange.settleUnreadBody();
      exchange.error(error);
      callback.succeeded();
    } catch (Throwable writeFailed) {
      callback.failed(writeFailed);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = ApiHandler.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

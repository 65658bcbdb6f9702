package io.chiplog.client.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.api.ChiplogException;
import io.chiplog.api.StoreClosedException;
import io.chiplog.api.StoreIoException;
import io.chiplog.protocol.ErrorJson;
import io.chiplog.protocol.WireJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * The client's one JDK {@link HttpClient} (HTTP/1.1, pooled keep-alive connections, virtual
 * threads) and the rules that turn what goes wrong on the wire into the exceptions of the {@code
 * EventStore} contract: an error answer becomes the exception the store threw ({@link
 * ErrorJson#toException}); a transport failure a {@link StoreIoException} naming the server;
 * anything after {@link #close()} a {@link StoreClosedException}. Thread-safe.
 */
public final class HttpTransport implements AutoCloseable {

  /** Writes one JSON request body. */
  @FunctionalInterface
  public interface JsonBody {
    /** Writes the document to {@code out}. */
    void writeTo(JsonGenerator out) throws IOException;
  }

  private final String base;
  private final URI baseUri;
  private final Duration requestTimeout;
  private final int lineMaxBytes;
  private final ExecutorService executor;
  private final HttpClient client;
  private volatile boolean closed;

  /**
   * Creates the transport; it connects lazily, on the first request.
   *
   * @param baseUri the server's address; a path is kept as a prefix
   * @param lineMaxBytes the longest NDJSON line (one event) the client reads
   */
  public HttpTransport(URI baseUri, Duration connectTimeout, Duration requestTimeout, int lineMaxBytes) {
    this.lineMaxBytes = lineMaxBytes;
    String text = baseUri.toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.baseUri = baseUri;
    this.requestTimeout = requestTimeout;
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
  }

  /** The server's address, for messages. */
  public URI baseUri() {
    return baseUri;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Fails when the transport is closed.
   *
   * @throws StoreClosedException when it is
   */
  public void ensureOpen() {
    if (closed) {
      throw closedError();
    }
  }

  /** The error for any use after close. */
  public StoreClosedException closedError() {
    return new StoreClosedException("chiplog client of " + baseUri);
  }

  /**
   * A request to {@code pathAndQuery} (starting with {@code /v1/}) that times out when the
   * answer has not begun within the request timeout.
   */
  public HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(requestTimeout);
  }

  /** A reader of NDJSON lines from {@code body}, each at most the line limit. */
  public NdjsonReader lines(InputStream body) {
    return new NdjsonReader(body, lineMaxBytes);
  }

  /** A JSON body publisher for {@code body}. */
  public static HttpRequest.BodyPublisher json(JsonBody body) {
    var bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator out = WireJson.generator(bytes)) {
      body.writeTo(out);
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to memory cannot fail", e);
    }
    return HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray());
  }

  /**
   * Sends {@code request} and waits for the answer to begin.
   *
   * @throws StoreClosedException when the transport is or gets closed
   * @throws StoreIoException when the server cannot be reached or does not answer in time, or
   *     the calling thread is interrupted (its flag stays set)
   */
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    ensureOpen();
    try {
      return client.send(request, handler);
    } catch (IOException e) {
      throw failure(request, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreIoException(
          "interrupted while waiting for the chiplog server at " + baseUri, e);
    } catch (RuntimeException e) {
      // HttpClient refuses requests once shut down with IllegalStateException.
      throw closed ? closedError() : e;
    }
  }

  /** Sends {@code request} without blocking; the future fails as {@link #send} throws. */
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    var answer = new CompletableFuture<HttpResponse<T>>();
    try {
      client
          .sendAsync(request, handler)
          .whenComplete(
              (response, error) -> {
                if (error == null) {
                  answer.complete(response);
                } else {
                  answer.completeExceptionally(failure(request, unwrap(error)));
                }
              });
    } catch (RuntimeException e) {
      answer.completeExceptionally(closed ? closedError() : e);
    }
    return answer;
  }

  /**
   * The exception for a request that failed on the wire: closed, or an I/O failure naming the
   * server and what went wrong.
   */
  public ChiplogException failure(HttpRequest request, Throwable error) {
    if (closed) {
      return closedError();
    }
    if (error instanceof ChiplogException chiplog) {
      return chiplog;
    }
    String target = request.method() + " " + request.uri();
    String reason =
        switch (error) {
          case HttpConnectTimeoutException e ->
              "cannot connect to the chiplog server at " + baseUri + ": no connection within "
                  + client.connectTimeout().map(Duration::toString).orElse("the timeout");
          case HttpTimeoutException e ->
              "the chiplog server at " + baseUri + " did not answer " + target + " within "
                  + requestTimeout;
          case ConnectException e ->
              "cannot connect to the chiplog server at " + baseUri + ": " + describe(e);
          default -> target + " failed: " + describe(error);
        };
    return new StoreIoException(reason, error);
  }

  /**
   * The exception for an answer with an error status, rebuilt from its error JSON.
   *
   * @param body the answer's bytes, which need not be JSON
   */
  public ChiplogException errorAnswer(HttpRequest request, int status, byte[] body) {
    return ErrorJson.toException(
        status,
        WireJson.parseOrNull(body),
        request.method() + " " + request.uri() + " answered HTTP " + status);
  }

  /** Reads an error answer from {@code body} and closes it. */
  public ChiplogException errorAnswer(HttpRequest request, int status, InputStream body) {
    try (body) {
      // Error bodies are small JSON documents; don't let a misbehaving proxy flood memory.
      return errorAnswer(request, status, body.readNBytes(1 << 20));
    } catch (IOException e) {
      return failure(request, e);
    }
  }

  /**
   * Parses an answer that must be one JSON document.
   *
   * @throws StoreIoException when it is not
   */
  public JsonNode parse(HttpRequest request, byte[] body) {
    JsonNode node = WireJson.parseOrNull(body);
    if (node == null) {
      throw new StoreIoException(
          request.method() + " " + request.uri() + " answered with something that is not JSON ("
              + body.length + " bytes)");
    }
    return node;
  }

  /**
   * Stops the client: requests in flight fail, pooled connections close. Closing again does
   * nothing.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    client.shutdownNow();
    executor.shutdownNow();
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String describe(Throwable error) {
    String message = error.getMessage();
    return message == null || message.isBlank()
        ? error.getClass().getSimpleName()
        : error.getClass().getSimpleName() + ": " + message;
  }
}

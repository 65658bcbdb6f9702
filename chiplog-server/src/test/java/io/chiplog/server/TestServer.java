package io.chiplog.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.chiplog.api.EventStore;
import io.chiplog.protocol.WireJson;
import io.chiplog.store.Durability;
import io.chiplog.store.FileEventStore;
import io.chiplog.store.StoreOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A {@link ChiplogServer} on a free loopback port over a store in a temporary directory, and a
 * JDK {@link HttpClient} speaking HTTP/1.1 to it. Closing it stops the server, then the store.
 */
final class TestServer implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  final EventStore store;
  final ChiplogServer server;
  final HttpClient http;

  private TestServer(EventStore store, ChiplogServer server) {
    this.store = store;
    this.server = server;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
  }

  /** A server with the default options over a durable-enough store (no fsync: tests only). */
  static TestServer start(Path directory) {
    return start(directory, server -> server, store -> store);
  }

  static TestServer start(
      Path directory, UnaryOperator<ServerOptions.Builder> server, UnaryOperator<StoreOptions.Builder> store) {
    var storeOptions = store.apply(StoreOptions.builder(directory).durability(Durability.NO_FSYNC)).build();
    var fileStore = FileEventStore.open(storeOptions);
    return over(fileStore, server.apply(ServerOptions.builder().limits(storeOptions.limits())));
  }

  /** A server over {@code store}, which the returned fixture closes. */
  static TestServer over(EventStore store, ServerOptions.Builder options) {
    try {
      return new TestServer(store, ChiplogServer.start(store, options.port(0).build()));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  URI uri(String pathAndQuery) {
    return server.uri().resolve(pathAndQuery);
  }

  HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(TIMEOUT);
  }

  HttpResponse<String> get(String pathAndQuery, String... headers) {
    var request = request(pathAndQuery).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  HttpResponse<String> postJson(String pathAndQuery, String json) {
    return post(pathAndQuery, "application/json", BodyPublishers.ofString(json));
  }

  HttpResponse<String> post(String pathAndQuery, String contentType, BodyPublisher body) {
    var request = request(pathAndQuery).POST(body);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request.build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends {@code request} and returns its body as it arrives, for subscriptions. */
  HttpResponse<InputStream> open(HttpRequest request) {
    try {
      return http.send(request, BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Appends {@code eventsJson} (the inside of the events array) and returns the answer. */
  JsonNode append(String eventsJson) {
    var response = postJson("/v1/append", "{\"events\":[" + eventsJson + "]}");
    if (response.statusCode() != 200) {
      throw new AssertionError("append answered " + response.statusCode() + ": " + response.body());
    }
    return json(response.body());
  }

  long head() {
    return json(get("/v1/head").body()).get("position").longValue();
  }

  static JsonNode json(String text) {
    return WireJson.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  static List<JsonNode> ndjson(String text) {
    return text.lines().map(TestServer::json).toList();
  }

  @Override
  public void close() {
    // The client goes first: Jetty's graceful stop waits about a second for idle keep-alive
    // connections, and shutdownNow() also aborts subscriptions a test left open.
    http.shutdownNow();
    try {
      server.close();
    } finally {
      store.close();
    }
  }
}

package io.chiplog.client;

import static io.chiplog.client.Conditions.HANG_GUARD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chiplog.api.AppendConflictException;
import io.chiplog.api.AppendRequest;
import io.chiplog.api.ConflictReason;
import io.chiplog.api.EventData;
import io.chiplog.api.ExpectedRevision;
import io.chiplog.api.Query;
import io.chiplog.api.ReadOptions;
import io.chiplog.api.RecordedEvent;
import io.chiplog.api.StoreIoException;
import io.chiplog.api.StreamNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only a network adds: answers cut short, unreachable servers, and exact payloads. */
class ChiplogClientIT {
  private static final String EVENT_LINE =
      "{\"position\":1,\"id\":\"3f0c2a9e-1b7d-4c55-9a0e-2f6d8b1c4e7a\",\"type\":\"A\",\"tags\":[],"
          + "\"recordedAt\":\"2025-01-01T00:00:00Z\",\"metadataBase64\":\"e30=\"}\n";

  @TempDir Path directory;

  @Test
  void aReadWhoseAnswerLacksItsFinalChunkFailsInsteadOfEndingEarly() throws Exception {
    String chunk = EVENT_LINE;
    String cut = Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n"; // no "0\r\n\r\n"

    try (var server = new OneAnswerServer(chunkedHeaders() + cut);
        var client = ChiplogClient.connect(server.uri());
        Stream<RecordedEvent> events = client.read(Query.all())) {
      var iterator = events.iterator();
      assertThat(iterator.next().position()).isEqualTo(1);
      assertThatThrownBy(iterator::hasNext)
          .isInstanceOf(StoreIoException.class)
          .hasMessageContaining("cut short after 1 events");
    }
  }

  @Test
  void aReadWhoseAnswerEndsInTheMiddleOfALineFails() throws Exception {
    String partial = EVENT_LINE + EVENT_LINE.substring(0, 30);
    String complete =
        Integer.toHexString(partial.length()) + "\r\n" + partial + "\r\n0\r\n\r\n";

    try (var server = new OneAnswerServer(chunkedHeaders() + complete);
        var client = ChiplogClient.connect(server.uri());
        Stream<RecordedEvent> events = client.read(Query.all())) {
      assertThatThrownBy(events::toList)
          .isInstanceOf(StoreIoException.class)
          .hasMessageContaining("cut short");
    }
  }

  @Test
  void anUnreachableServerIsAnIoErrorNamingIt() throws Exception {
    URI nobody;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nobody = URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    try (var client = ChiplogClient.connect(nobody)) {
      assertThatThrownBy(client::head)
          .isInstanceOf(StoreIoException.class)
          .hasMessageContaining(nobody.toString());
      assertThatThrownBy(() -> client.subscribe(Query.all(), 0))
          .isInstanceOf(StoreIoException.class)
          .hasMessageContaining(nobody.toString());
      var future = client.appendAsync(AppendRequest.of(EventData.of("A")));
      assertThatThrownBy(() -> future.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(StoreIoException.class);
    }
  }

  @Test
  void payloadsComeBackByteExact() {
    byte[] binary = {0, 1, 2, (byte) 0xff, (byte) 0xfe, '\n', '"', '{'};
    byte[] json = "{ \"spaced\" : 1.50 }".getBytes(StandardCharsets.UTF_8);
    try (var served = ServedStore.start(directory);
        var client = served.client()) {
      client.append(AppendRequest.of(
          EventData.of("Binary", binary),
          EventData.of("Json", json).withMetadata("{ \"actor\" : \"ada\" }")));

      List<RecordedEvent> events;
      try (var read = client.read(Query.all())) {
        events = read.toList();
      }

      assertThat(events.get(0).data()).isEqualTo(binary);
      assertThat(events.get(1).data()).isEqualTo(json);
      assertThat(new String(events.get(1).metadata(), StandardCharsets.UTF_8))
          .isEqualTo("{ \"actor\" : \"ada\" }");
    }
  }

  @Test
  void readStreamFailsAtOnceForAnUnknownStreamAndAsyncAppendsFailWithTheConflict() {
    try (var served = ServedStore.start(directory);
        var client = served.client()) {
      client.append(AppendRequest.of(EventData.of("A")).toStream("s", ExpectedRevision.noStream()));

      assertThatThrownBy(() -> client.readStream("missing", ReadOptions.forwards()))
          .isInstanceOf(StreamNotFoundException.class);
      CompletableFuture<?> retry = client.appendAsync(
          AppendRequest.of(EventData.of("B")).toStream("s", ExpectedRevision.noStream()));
      assertThatThrownBy(retry::join)
          .cause()
          .isInstanceOfSatisfying(AppendConflictException.class,
              e -> assertThat(e.reason()).isInstanceOf(ConflictReason.RevisionMismatch.class));
    }
  }

  @Test
  void aSubscriptionWhoseServerFallsSilentReconnectsAfterTheIdleTimeout() throws Exception {
    String silent = chunkedHeaders();
    String live = chunkedHeaders() + Integer.toHexString(EVENT_LINE.length()) + "\r\n" + EVENT_LINE + "\r\n";
    try (var server = new HeldAnswersServer(silent, live);
        var client = ChiplogClient.connect(ClientOptions.builder(server.uri())
            .subscriptionIdleTimeout(Duration.ofMillis(300))
            .build());
        var subscription = client.subscribe(Query.all(), 1)) {
      // The first connection says 200 and then nothing, like a half-open one: without the idle
      // timeout the subscriber would wait for the operating system to notice, possibly forever.
      RecordedEvent event = subscription.poll(HANG_GUARD);

      assertThat(event).isNotNull();
      assertThat(event.position()).isEqualTo(1);
      assertThat(server.connections()).isEqualTo(2);
    }
  }

  @Test
  void aSubscriptionLineThatIsNotJsonEndsItWithAnErrorInsteadOfReconnecting() throws Exception {
    String garbage = "not json at all\n";
    String answer = chunkedHeaders() + Integer.toHexString(garbage.length()) + "\r\n" + garbage + "\r\n";
    try (var server = new HeldAnswersServer(answer, answer);
        var client = ChiplogClient.connect(server.uri());
        var subscription = client.subscribe(Query.all(), 1)) {
      assertThatThrownBy(() -> subscription.poll(HANG_GUARD))
          .isInstanceOf(StoreIoException.class)
          .hasMessageContaining("cannot read");
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @Test
  void anAnswerLineLongerThanTheLimitsAllowIsRefusedNotBuffered() throws Exception {
    String huge = "{\"position\":1,\"pad\":\"" + "x".repeat(1_200_000) + "\"}\n";
    String answer = chunkedHeaders() + Integer.toHexString(huge.length()) + "\r\n" + huge + "\r\n0\r\n\r\n";
    try (var server = new OneAnswerServer(answer);
        var client = ChiplogClient.connect(ClientOptions.builder(server.uri())
            .limits(new io.chiplog.api.StoreLimits(1024, 4096))
            .build());
        Stream<RecordedEvent> events = client.read(Query.all())) {
      assertThatThrownBy(events::toList)
          .isInstanceOf(StoreIoException.class)
          .hasMessageContaining("longer than");
    }
  }

  @Test
  void anAppendWhoseAnswerIsLostIsSentAgainWithTheSameIds() throws Exception {
    String result = "{\"firstPosition\":1,\"lastPosition\":1}";
    String answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
        + result.length() + "\r\n\r\n" + result;
    try (var server = new LosesFirstAnswerServer(answer);
        var client = ChiplogClient.connect(server.uri())) {
      var request = AppendRequest.of(EventData.of("A"));

      var appended = client.append(request);

      assertThat(appended.lastPosition()).isEqualTo(1);
      assertThat(server.requests()).hasSize(2);
      // Byte for byte the same request, ids included: what makes the second send safe.
      assertThat(server.requests().get(1)).isEqualTo(server.requests().get(0));
      assertThat(server.requests().get(0)).contains(request.events().getFirst().id().toString());
    }
  }

  /**
   * A server that reads the first request and closes the connection without a word (as when a
   * pooled connection dies under a request), then answers every later one with {@code answer}.
   */
  private static final class LosesFirstAnswerServer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();

    LosesFirstAnswerServer(String answer) throws IOException {
      socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().start(() -> {
        while (!socket.isClosed()) {
          try {
            Socket connection = socket.accept();
            held.add(connection);
            String request = readRequest(connection.getInputStream());
            requests.add(request);
            if (requests.size() == 1) {
              connection.close();
            } else {
              connection.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
              connection.getOutputStream().flush();
            }
          } catch (IOException closed) {
            return;
          }
        }
      });
    }

    private static String readRequest(InputStream in) throws IOException {
      var head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.append((char) b);
      }
      int length = 0;
      for (String line : head.toString().split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring("content-length:".length()).trim());
        }
      }
      return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    List<String> requests() {
      return requests;
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket connection : held) {
        connection.close();
      }
    }
  }

  private static String chunkedHeaders() {
    return "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n";
  }

  /**
   * A server that answers its n-th connection with the n-th answer and then holds that
   * connection open without a word, until closed.
   */
  private static final class HeldAnswersServer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();

    HeldAnswersServer(String... answers) throws IOException {
      socket = new ServerSocket(0, answers.length, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().start(() -> {
        for (String answer : answers) {
          try {
            Socket connection = socket.accept();
            held.add(connection);
            accepted.incrementAndGet();
            OneAnswerServer.skipRequest(connection.getInputStream());
            connection.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
            connection.getOutputStream().flush();
          } catch (IOException closed) {
            return;
          }
        }
      });
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    int connections() {
      return accepted.get();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket connection : held) {
        connection.close();
      }
    }
  }

  /**
   * A server that reads one request, writes {@code answer} byte for byte and closes the
   * connection: a server that fails after its answer began, as the real one does.
   */
  private static final class OneAnswerServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;

    OneAnswerServer(String answer) throws IOException {
      socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      thread = Thread.ofVirtual().start(() -> serve(answer));
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    private void serve(String answer) {
      try (Socket connection = socket.accept()) {
        skipRequest(connection.getInputStream());
        OutputStream out = connection.getOutputStream();
        out.write(answer.getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        // The test fails on the client's side if the answer did not get through.
      }
    }

    /** Reads the request head and its body, as declared by Content-Length. */
    private static void skipRequest(InputStream in) throws IOException {
      var head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        head.append((char) b);
      }
      for (String line : head.toString().split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          in.readNBytes(Integer.parseInt(line.substring("content-length:".length()).trim()));
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
      try {
        thread.join(HANG_GUARD.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

package io.chiplog.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what the JDK client hides: a client that never reads, a
 * body sent in two parts, a keep-alive connection reused at a chosen moment. Not thread-safe.
 */
final class RawHttp implements AutoCloseable {
  /** A response: status, headers (lower-case names) and body. */
  record Response(int status, Map<String, String> headers, String body) {}

  final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects to {@code base}; {@code receiveBufferBytes} of 0 keeps the system's default. */
  static RawHttp connect(URI base, int receiveBufferBytes) {
    try {
      var socket = new Socket();
      if (receiveBufferBytes > 0) {
        socket.setReceiveBufferSize(receiveBufferBytes);
      }
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
      socket.setSoTimeout((int) TestServer.TIMEOUT.toMillis());
      return new RawHttp(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code text} as is (request line, headers, body or part of it). */
  RawHttp write(String text) {
    try {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one response with a Content-Length body. */
  Response read() {
    try {
      String statusLine = line();
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      var headers = new LinkedHashMap<String, String>();
      for (String line; !(line = line()).isEmpty(); ) {
        int colon = line.indexOf(':');
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      return new Response(status, headers, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads everything until the server closes the connection (or resets it, or the socket
   * timeout passes) and returns it as text, headers included.
   */
  String readUntilClosed() {
    var all = new ByteArrayOutputStream();
    byte[] chunk = new byte[64 * 1024];
    try {
      for (int read; (read = in.read(chunk)) >= 0; ) {
        all.write(chunk, 0, read);
      }
    } catch (IOException closedOrTimedOut) {
      // What arrived before is the answer.
    }
    return all.toString(StandardCharsets.UTF_8);
  }

  /** Reads and drops everything until the server closes the connection; false on a timeout. */
  boolean drainsToClose() {
    byte[] chunk = new byte[64 * 1024];
    try {
      while (in.read(chunk) >= 0) {
        // Dropped.
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private String line() throws IOException {
    var bytes = new ByteArrayOutputStream();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new IOException("connection closed mid-line");
      }
      if (b != '\r') {
        bytes.write(b);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing is all we wanted.
    }
  }
}

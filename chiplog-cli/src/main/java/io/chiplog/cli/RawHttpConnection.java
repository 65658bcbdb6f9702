package io.chiplog.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One persistent HTTP/1.1 connection that sends a request and reads its answer, with nothing
 * else: the load generator's client. A general client (the JDK's {@code HttpClient}, which
 * {@code ChiplogClient} uses) costs more CPU per request than the server does, and on a
 * two-core machine the generator would measure itself. Handles only what the server sends:
 * answers with a {@code Content-Length}. Not thread-safe: one per load thread.
 */
final class RawHttpConnection implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final byte[] line = new byte[8192];

  RawHttpConnection(URI server) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 5_000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
  }

  /** {@code POST path} with a JSON body, as bytes ready to send again and again. */
  static byte[] post(URI server, String path, byte[] json) {
    String head = "POST " + path + " HTTP/1.1\r\nHost: " + server.getHost() + ":" + server.getPort()
        + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[headBytes.length + json.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(json, 0, request, headBytes.length, json.length);
    return request;
  }

  /** Sends {@code request} and returns the answer's status; the body is read and dropped. */
  int exchange(byte[] request) throws IOException {
    out.write(request);
    out.flush();
    int length = readLine();
    String status = new String(line, 0, length, StandardCharsets.US_ASCII);
    if (!status.startsWith("HTTP/1.1 ")) {
      throw new IOException("not an HTTP/1.1 answer: " + status);
    }
    long contentLength = -1;
    while ((length = readLine()) > 0) {
      String header = new String(line, 0, length, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
      if (header.startsWith("content-length:")) {
        contentLength = Long.parseLong(header.substring(15).trim());
      }
    }
    if (contentLength < 0) {
      throw new IOException("an answer without Content-Length: " + status);
    }
    in.skipNBytes(contentLength);
    return Integer.parseInt(status.substring(9, 12));
  }

  private int readLine() throws IOException {
    int length = 0;
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new IOException("the server closed the connection");
      }
      if (b != '\r' && length < line.length) {
        line[length++] = (byte) b;
      }
    }
    return length;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

package io.chiplog.server;

import io.chiplog.api.StoreLimits;
import java.time.Duration;

/**
 * How a {@link ChiplogServer} listens and what it allows. Build with {@link #builder()}; every
 * value has a default that suits a single server on a small machine.
 *
 * @param host the address to bind, {@code 127.0.0.1} by default ({@code 0.0.0.0} for every
 *     interface)
 * @param port the port, 7171 by default; 0 picks a free one
 * @param limits the size limits of the store behind the server, which bound request bodies
 * @param bodyMaxBytes the largest request body read at all; larger ones are answered 413 before
 *     they are read. By default twice the largest append plus 1 MiB, room for base64 payloads
 * @param largeBodiesMax how many requests with a body over 1 MiB are read at once; more wait
 *     (up to the stall timeout, then 503), so that concurrent large appends cannot exhaust the
 *     heap: each holds its body, its parsed form and its events at the same time
 * @param subscribersMax how many subscriptions may be open at once; one more is answered 429
 * @param heartbeatInterval how often an idle subscription gets a heartbeat
 * @param stallTimeout how long a write to a client may block (a subscriber that stopped
 *     reading) before the server drops the connection
 * @param shutdownGracePeriod how long a graceful stop waits for requests in flight
 */
public record ServerOptions(
    String host,
    int port,
    StoreLimits limits,
    long bodyMaxBytes,
    int largeBodiesMax,
    int subscribersMax,
    Duration heartbeatInterval,
    Duration stallTimeout,
    Duration shutdownGracePeriod) {

  /** The default port of HTTP API v1. */
  public static final int DEFAULT_PORT = 7171;

  /** Checks the values. */
  public ServerOptions {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    if (limits == null) {
      throw new IllegalArgumentException("limits must not be null");
    }
    if (bodyMaxBytes < 1024 || bodyMaxBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "bodyMaxBytes must be 1024 to " + (Integer.MAX_VALUE - 8) + ", was " + bodyMaxBytes);
    }
    if (largeBodiesMax < 1) {
      throw new IllegalArgumentException("largeBodiesMax must be at least 1, was " + largeBodiesMax);
    }
    if (subscribersMax < 1) {
      throw new IllegalArgumentException("subscribersMax must be at least 1, was " + subscribersMax);
    }
    requirePositive(heartbeatInterval, "heartbeatInterval");
    requirePositive(stallTimeout, "stallTimeout");
    requirePositive(shutdownGracePeriod, "shutdownGracePeriod");
    if (heartbeatInterval.compareTo(stallTimeout) >= 0) {
      // The stall timeout is the connection's idle timeout: an idle subscription must hear a
      // heartbeat before it.
      throw new IllegalArgumentException(
          "heartbeatInterval (" + heartbeatInterval + ") must be shorter than stallTimeout ("
              + stallTimeout + ")");
    }
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The default body limit for {@code limits}: twice the largest append plus 1 MiB. */
  public static long defaultBodyMaxBytes(StoreLimits limits) {
    return Math.min(Integer.MAX_VALUE - 8, 2 * limits.appendSizeMaxBytes() + (1 << 20));
  }

  private static void requirePositive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  /** Builds {@link ServerOptions}; not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = DEFAULT_PORT;
    private StoreLimits limits = StoreLimits.defaults();
    private long bodyMaxBytes = -1;
    private int largeBodiesMax = 4;
    private int subscribersMax = 1000;
    private Duration heartbeatInterval = Duration.ofSeconds(15);
    private Duration stallTimeout = Duration.ofSeconds(30);
    private Duration shutdownGracePeriod = Duration.ofSeconds(10);

    private Builder() {}

    /** The address to bind. */
    public Builder host(String value) {
      host = value;
      return this;
    }

    /** The port; 0 picks a free one. */
    public Builder port(int value) {
      port = value;
      return this;
    }

    /** The store's size limits. */
    public Builder limits(StoreLimits value) {
      limits = value;
      return this;
    }

    /** The largest request body read. */
    public Builder bodyMaxBytes(long value) {
      bodyMaxBytes = value;
      return this;
    }

    /** How many requests with a body over 1 MiB are read at once. */
    public Builder largeBodiesMax(int value) {
      largeBodiesMax = value;
      return this;
    }

    /** How many subscriptions may be open at once. */
    public Builder subscribersMax(int value) {
      subscribersMax = value;
      return this;
    }

    /** How often an idle subscription gets a heartbeat. */
    public Builder heartbeatInterval(Duration value) {
      heartbeatInterval = value;
      return this;
    }

    /** How long a blocked write may wait before the connection is dropped. */
    public Builder stallTimeout(Duration value) {
      stallTimeout = value;
      return this;
    }

    /** How long a graceful stop waits for requests in flight. */
    public Builder shutdownGracePeriod(Duration value) {
      shutdownGracePeriod = value;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public ServerOptions build() {
      long body = bodyMaxBytes < 0 ? defaultBodyMaxBytes(limits) : bodyMaxBytes;
      return new ServerOptions(
          host, port, limits, body, largeBodiesMax, subscribersMax, heartbeatInterval, stallTimeout,
          shutdownGracePeriod);
    }
  }
}

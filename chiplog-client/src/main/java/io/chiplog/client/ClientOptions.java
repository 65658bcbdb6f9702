package io.chiplog.client;

import io.chiplog.api.StoreLimits;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * How a {@link ChiplogClient} reaches its server. Build with {@link #builder(URI)}; every value
 * but the address has a default.
 *
 * <pre>{@code
 * var options = ClientOptions.builder(URI.create("http://chiplog.internal:7171"))
 *     .requestTimeout(Duration.ofSeconds(10))
 *     .subscriptionBufferCapacity(256)
 *     .build();
 * try (var store = ChiplogClient.connect(options)) {
 *   ...
 * }
 * }</pre>
 *
 * @param baseUri the server's address, {@code http} or {@code https}, e.g. {@code
 *     http://127.0.0.1:7171}; a path is kept as a prefix (for a server behind a proxy)
 * @param requestTimeout how long a request may wait for the server's answer to begin; reads and
 *     subscriptions then stream for as long as they need
 * @param connectTimeout how long opening a connection may take
 * @param subscriptionBufferCapacity the most events a subscription fetches ahead of its
 *     subscriber; when the buffer is full the client stops reading and TCP slows the server down
 * @param reconnectBackoffInitial how long a subscription waits before its first attempt to
 *     reconnect after losing its connection; the wait doubles with each failed attempt
 * @param reconnectBackoffMax the longest wait between reconnect attempts
 * @param subscriptionIdleTimeout how long a subscription may hear nothing from the server, not
 *     even a heartbeat, before it takes the connection for dead and reconnects; longer than the
 *     server's heartbeat interval (15 s by default)
 * @param limits the size limits the client checks before sending an append, so an append the
 *     server would refuse is not uploaded; set them to the server's limits
 */
public record ClientOptions(
    URI baseUri,
    Duration requestTimeout,
    Duration connectTimeout,
    int subscriptionBufferCapacity,
    Duration reconnectBackoffInitial,
    Duration reconnectBackoffMax,
    Duration subscriptionIdleTimeout,
    StoreLimits limits) {

  /** 30 seconds. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** 1024 events. */
  public static final int DEFAULT_SUBSCRIPTION_BUFFER_CAPACITY = 1024;

  /** 100 milliseconds. */
  public static final Duration DEFAULT_RECONNECT_BACKOFF_INITIAL = Duration.ofMillis(100);

  /** 5 seconds. */
  public static final Duration DEFAULT_RECONNECT_BACKOFF_MAX = Duration.ofSeconds(5);

  /** 45 seconds: three of the server's default heartbeat intervals. */
  public static final Duration DEFAULT_SUBSCRIPTION_IDLE_TIMEOUT = Duration.ofSeconds(45);

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException naming the value that is out of range
   */
  public ClientOptions {
    checkBaseUri(baseUri);
    requirePositive(requestTimeout, "requestTimeout");
    requirePositive(connectTimeout, "connectTimeout");
    if (subscriptionBufferCapacity < 1) {
      throw new IllegalArgumentException(
          "subscriptionBufferCapacity must be 1 or more, was " + subscriptionBufferCapacity);
    }
    requirePositive(reconnectBackoffInitial, "reconnectBackoffInitial");
    requirePositive(reconnectBackoffMax, "reconnectBackoffMax");
    requirePositive(subscriptionIdleTimeout, "subscriptionIdleTimeout");
    if (reconnectBackoffInitial.compareTo(reconnectBackoffMax) > 0) {
      throw new IllegalArgumentException(
          "reconnectBackoffInitial (" + reconnectBackoffInitial
              + ") must not be longer than reconnectBackoffMax (" + reconnectBackoffMax + ")");
    }
    if (limits == null) {
      throw new IllegalArgumentException("limits must not be null");
    }
  }

  /** A builder for a server at {@code baseUri}, starting from the defaults. */
  public static Builder builder(URI baseUri) {
    return new Builder(baseUri);
  }

  private static void checkBaseUri(URI uri) {
    if (uri == null) {
      throw new IllegalArgumentException("baseUri must not be null");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("baseUri must be an http or https address, was " + uri);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("baseUri must name a host, was " + uri);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "baseUri must not have a query or fragment, was " + uri);
    }
  }

  private static void requirePositive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  /** Builds {@link ClientOptions}; not thread-safe. */
  public static final class Builder {
    private final URI baseUri;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private int subscriptionBufferCapacity = DEFAULT_SUBSCRIPTION_BUFFER_CAPACITY;
    private Duration reconnectBackoffInitial = DEFAULT_RECONNECT_BACKOFF_INITIAL;
    private Duration reconnectBackoffMax = DEFAULT_RECONNECT_BACKOFF_MAX;
    private Duration subscriptionIdleTimeout = DEFAULT_SUBSCRIPTION_IDLE_TIMEOUT;
    private StoreLimits limits = StoreLimits.defaults();

    private Builder(URI baseUri) {
      this.baseUri = baseUri;
    }

    /** How long a request may wait for the answer to begin. */
    public Builder requestTimeout(Duration value) {
      requestTimeout = value;
      return this;
    }

    /** How long opening a connection may take. */
    public Builder connectTimeout(Duration value) {
      connectTimeout = value;
      return this;
    }

    /** The most events a subscription fetches ahead of its subscriber. */
    public Builder subscriptionBufferCapacity(int events) {
      subscriptionBufferCapacity = events;
      return this;
    }

    /** The first and the longest wait between a subscription's reconnect attempts. */
    public Builder reconnectBackoff(Duration initial, Duration max) {
      reconnectBackoffInitial = initial;
      reconnectBackoffMax = max;
      return this;
    }

    /** The size limits checked before an append is sent. */
    public Builder limits(StoreLimits value) {
      limits = value;
      return this;
    }

    /** How long a subscription may hear nothing before it reconnects. */
    public Builder subscriptionIdleTimeout(Duration timeout) {
      subscriptionIdleTimeout = timeout;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public ClientOptions build() {
      return new ClientOptions(
          baseUri,
          requestTimeout,
          connectTimeout,
          subscriptionBufferCapacity,
          reconnectBackoffInitial,
          reconnectBackoffMax,
          subscriptionIdleTimeout,
          limits);
    }
  }
}

package io.chiplog.views;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads a key-value view by key, in O(1): one lookup in the view store. Always reads the live
 * version, also across a switch to a rebuilt one. Thread-safe.
 *
 * <pre>{@code
 * AppendResult written = ...;                       // or Outcome.Appended.lastPosition()
 * Shelf shelf = reader.get("fiction", written.lastPosition());   // read your own write
 * }</pre>
 *
 * @param <V> the value type
 */
public final class ViewReader<V> {

  /** Where a reader reads; {@link Views} and point-in-time builds provide it. */
  interface Source<V> {
    String name();

    @Nullable V read(String key);

    long position();

    void await(long minPosition, Duration wait);
  }

  private final Source<V> source;
  private final Duration readWait;

  ViewReader(Source<V> source, Duration readWait) {
    this.source = source;
    this.readWait = readWait;
  }

  /** The view's name. */
  public String view() {
    return source.name();
  }

  /** The value of {@code key} now, or null. */
  public @Nullable V get(String key) {
    return source.read(Objects.requireNonNull(key, "key"));
  }

  /**
   * The value of {@code key} once the view has applied {@code minPosition}, waiting up to the
   * views' read wait (2 s unless configured).
   *
   * @throws ViewNotCaughtUpException when the view had not applied it in time
   */
  public @Nullable V get(String key, long minPosition) {
    return get(key, minPosition, readWait);
  }

  /**
   * The value of {@code key} once the view has applied {@code minPosition}, waiting up to {@code
   * wait}.
   *
   * @throws ViewNotCaughtUpException when the view had not applied it in time
   */
  public @Nullable V get(String key, long minPosition, Duration wait) {
    source.await(minPosition, wait);
    return get(key);
  }

  /**
   * The value of {@code key} with the position the view had reached when it was read: the value
   * includes every event up to that position (and perhaps a few after).
   */
  public ViewValue<V> read(String key) {
    long position = source.position();
    return new ViewValue<>(get(key), position);
  }

  /**
   * {@link #read(String)} once the view has applied {@code minPosition}, waiting up to the views'
   * read wait: one lookup for a read-your-own-writes answer that also says how current it is.
   *
   * @throws ViewNotCaughtUpException when the view had not applied it in time
   */
  public ViewValue<V> read(String key, long minPosition) {
    source.await(minPosition, readWait);
    return read(key);
  }

  /** The last position the live version has applied. */
  public long position() {
    return source.position();
  }
}

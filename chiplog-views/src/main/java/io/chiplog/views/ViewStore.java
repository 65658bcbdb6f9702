package io.chiplog.views;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where views live. A view's data sits in a <em>space</em>, one per built version (for example
 * {@code books_v2_1}); each space has a checkpoint, the position of the last event its data
 * includes. A view's live space is recorded per view name, and switching it is atomic.
 *
 * <p>The one promise that matters: {@link #commit} stores a batch's changes and the new
 * checkpoint together or not at all, so after a crash the view resumes from a checkpoint that
 * matches its data and no event is applied twice.
 *
 * <p>Implementations are thread-safe: the runner of each space commits from its own thread
 * while readers read. Errors of the storage itself are {@link ViewStoreException}s.
 */
public interface ViewStore extends AutoCloseable {

  /**
   * Prepares {@code space} for a runner about to write it (creates its table, for instance).
   * Nothing by default.
   */
  default void prepare(String space) {}

  /** The checkpoint of {@code space}: 0 when it holds nothing yet. */
  long checkpoint(String space);

  /** The value of {@code key} in {@code space}, or null. */
  byte @Nullable [] get(String space, String key);

  /**
   * Stores {@code changes} (a null value deletes its key) and the checkpoint {@code checkpoint}
   * in {@code space}, atomically: the changes of the events from {@code firstPosition} to {@code
   * checkpoint}.
   *
   * <p>A store that several processes can share refuses the commit, with a {@link
   * ViewStoreException}, when the checkpoint of {@code space} is already at or after {@code
   * firstPosition}: another runner of the space applied these events first. Comparing with the
   * batch's first event, not its last, matters when the two runners' batches overlap.
   */
  void commit(String space, Map<String, byte @Nullable []> changes, long firstPosition, long checkpoint);

  /** The live space of the view {@code view}, or null before its first build. */
  @Nullable String liveSpace(String view);

  /** Makes {@code space} the live space of {@code view}, atomically. */
  void makeLive(String view, String space);

  /** Deletes {@code space}: its data and its checkpoint. */
  void drop(String space);

  /** Releases the store. */
  @Override
  void close();
}

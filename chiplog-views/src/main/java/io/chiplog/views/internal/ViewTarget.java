package io.chiplog.views.internal;

import io.chiplog.api.RecordedEvent;
import java.util.List;

/** One built version of a view in its store: where a runner applies and commits batches. */
public interface ViewTarget {

  /** The space it writes. */
  String space();

  /** The position its data includes, from the store (0: nothing yet); prepares the space. */
  long checkpoint();

  /**
   * Applies {@code events} and commits the changes with the checkpoint {@code through},
   * atomically.
   *
   * @throws FoldException when the view's code failed; nothing was committed
   * @throws io.chiplog.views.ViewStoreException when the store failed; nothing was committed
   */
  void apply(List<RecordedEvent> events, long through);

  /** Makes this space the view's live one. */
  void makeLive();

  /** Deletes this space. */
  void drop();
}

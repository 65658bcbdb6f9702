package io.chiplog.views.internal;

import io.chiplog.api.RecordedEvent;
import io.chiplog.model.Recorded;
import io.chiplog.views.KeyValueView;
import io.chiplog.views.ViewStore;
import io.chiplog.views.ViewStoreException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A key-value view's built version in a {@link ViewStore}.
 *
 * <p>It keeps the decoded values of the keys its batches touched ({@code cachedValuesMax} at
 * most, the first cached first out), as committed, so a batch reads and decodes
 * from the store only the keys no recent batch touched. This is sound because its runner is the
 * only writer of its space and values are immutable; any failure of a batch (the view's code or
 * the store) drops the whole cache, so a retry starts from what the store holds. Readers do not
 * use it: they read the store. {@link #apply} is called by one thread at a time.
 *
 * @param <E> the model's event type
 * @param <V> the value type
 */
public final class KeyValueTarget<E, V> implements ViewTarget {
  private final KeyValueView<E, V> view;
  private final ViewStore store;
  private final String space;
  private final ValueCodec<V> codec;
  private final Map<String, V> committed;

  /** The version of {@code view} kept in {@code space} of {@code store}, caching up to {@code cachedValuesMax} values. */
  public KeyValueTarget(KeyValueView<E, V> view, ViewStore store, String space, int cachedValuesMax) {
    this.view = view;
    this.store = store;
    this.space = space;
    this.codec = new ValueCodec<>(view.types().mapper(), view.valueType());
    this.committed = new LinkedHashMap<>(1024, 0.75f, /* accessOrder= */ false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > cachedValuesMax;
      }
    };
  }

  @Override
  public String space() {
    return space;
  }

  @Override
  public long checkpoint() {
    store.prepare(space);
    return store.checkpoint(space);
  }

  @Override
  public void apply(List<RecordedEvent> events, long through) {
    try {
      applyAndCommit(events, through);
    } catch (RuntimeException | Error e) {
      committed.clear(); // the batch may have changed cached values, or the store holds other ones
      throw e;
    }
  }

  private void applyAndCommit(List<RecordedEvent> events, long through) {
    var changes = new BatchChanges<>(store, space, codec, committed);
    for (Recorded<E> event : decode(events)) {
      try {
        view.handler().apply(event, changes);
      } catch (ViewStoreException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new FoldException(event.position(), e);
      }
    }
    try {
      Map<String, byte @Nullable []> encoded = changes.encoded();
      store.commit(space, encoded, events.getFirst().position(), through);
    } catch (ViewStoreException e) {
      throw e;
    } catch (RuntimeException e) {
      // a value that does not encode, a key the store refuses: the view's doing
      throw new FoldException(events.size() == 1 ? events.getFirst().position() : 0, e);
    }
    changes.committedTo(committed);
  }

  private List<Recorded<E>> decode(List<RecordedEvent> events) {
    try {
      return view.types().decode(events);
    } catch (RuntimeException e) {
      throw new FoldException(events.size() == 1 ? events.getFirst().position() : 0, e);
    }
  }

  /** The value of {@code key}, decoded, or null. */
  public @Nullable V read(String key) {
    byte[] bytes = store.get(space, key);
    return bytes == null ? null : codec.decode(bytes);
  }

  @Override
  public void makeLive() {
    store.makeLive(view.name(), space);
  }

  @Override
  public void drop() {
    store.drop(space);
  }
}

package io.chiplog.views.internal;

import io.chiplog.api.RecordedEvent;
import io.chiplog.model.Recorded;
import io.chiplog.views.KeyValueView;
import io.chiplog.views.ViewStore;
import io.chiplog.views.ViewStoreException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A key-value view's built version in a {@link ViewStore}.
 *
 * @param <E> the model's event type
 * @param <V> the value type
 */
public final class KeyValueTarget<E, V> implements ViewTarget {
  private final KeyValueView<E, V> view;
  private final ViewStore store;
  private final String space;
  private final ValueCodec<V> codec;

  /** The version of {@code view} kept in {@code space} of {@code store}. */
  public KeyValueTarget(KeyValueView<E, V> view, ViewStore store, String space) {
    this.view = view;
    this.store = store;
    this.space = space;
    this.codec = new ValueCodec<>(view.types().mapper(), view.valueType());
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
    var changes = new BatchChanges<>(store, space, codec);
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

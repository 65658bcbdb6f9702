package io.chiplog.views.internal;

import io.chiplog.views.Changes;
import io.chiplog.views.ViewStore;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The changes of one batch of a key-value view: values read once from the store, then kept
 * decoded while the batch's events change them; only the changed keys are encoded at commit.
 */
final class BatchChanges<V> implements Changes<V> {
  private final ViewStore store;
  private final String space;
  private final ValueCodec<V> codec;
  private final Map<String, Entry<V>> entries = new HashMap<>();

  private static final class Entry<V> {
    @Nullable V value;
    boolean changed;

    Entry(@Nullable V value) {
      this.value = value;
    }
  }

  BatchChanges(ViewStore store, String space, ValueCodec<V> codec) {
    this.store = store;
    this.space = space;
    this.codec = codec;
  }

  @Override
  public @Nullable V get(String key) {
    Entry<V> entry = entries.get(key);
    if (entry == null) {
      byte[] stored = store.get(space, key);
      entry = new Entry<>(stored == null ? null : codec.decode(stored));
      entries.put(key, entry);
    }
    return entry.value;
  }

  @Override
  public void put(String key, V value) {
    if (value == null) {
      throw new IllegalArgumentException("a view value is never null; delete the key instead: " + key);
    }
    set(key, value);
  }

  @Override
  public void delete(String key) {
    set(key, null);
  }

  private void set(String key, @Nullable V value) {
    if (key.isEmpty()) {
      throw new IllegalArgumentException("a view key is never empty");
    }
    Entry<V> entry = entries.computeIfAbsent(key, k -> new Entry<>(null));
    entry.value = value;
    entry.changed = true;
  }

  /** The changed keys and their encoded values (null: delete). */
  Map<String, byte @Nullable []> encoded() {
    var changes = new LinkedHashMap<String, byte @Nullable []>();
    entries.forEach((key, entry) -> {
      if (entry.changed) {
        changes.put(key, entry.value == null ? null : codec.encode(entry.value));
      }
    });
    return changes;
  }
}

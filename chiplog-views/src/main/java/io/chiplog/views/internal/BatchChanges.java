package io.chiplog.views.internal;

import io.chiplog.views.Changes;
import io.chiplog.views.ViewStore;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The changes of one batch of a key-value view: values read once (from the target's cache of
 * committed values, else from the store), then kept decoded while the batch's events change them;
 * only the changed keys are encoded at commit.
 */
final class BatchChanges<V> implements Changes<V> {
  private final ViewStore store;
  private final String space;
  private final ValueCodec<V> codec;
  private final Map<String, V> committed;
  private final Map<String, Entry<V>> entries = new HashMap<>();

  private static final class Entry<V> {
    @Nullable V value;
    boolean changed;

    Entry(@Nullable V value) {
      this.value = value;
    }
  }

  /** Changes to {@code space}; {@code committed} holds decoded values as committed, read only here. */
  BatchChanges(ViewStore store, String space, ValueCodec<V> codec, Map<String, V> committed) {
    this.store = store;
    this.space = space;
    this.codec = codec;
    this.committed = committed;
  }

  @Override
  public @Nullable V get(String key) {
    Entry<V> entry = entries.get(key);
    if (entry == null) {
      V value = committed.get(key);
      if (value == null) {
        byte[] stored = store.get(space, key);
        value = stored == null ? null : codec.decode(stored);
      }
      entry = new Entry<>(value);
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

  /** Once committed: every value read or written in the batch goes into {@code values} (a delete removes). */
  void committedTo(Map<String, V> values) {
    entries.forEach((key, entry) -> {
      if (entry.value == null) {
        values.remove(key);
      } else {
        values.put(key, entry.value);
      }
    });
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

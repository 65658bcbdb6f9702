package io.chiplog.views;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Views in memory, for tests and throwaway point-in-time builds. Values are kept as the bytes
 * committed, like a durable store keeps them, so a test sees what encoding does. A reader may see
 * a batch half applied while it commits (each key is still a committed value).
 */
public final class InMemoryViewStore implements ViewStore {
  private final Map<String, Space> spaces = new ConcurrentHashMap<>();
  private final Map<String, String> live = new ConcurrentHashMap<>();

  /** One space's values and checkpoint. */
  private static final class Space {
    final Map<String, byte[]> values = new ConcurrentHashMap<>();
    volatile long checkpoint;
  }

  @Override
  public long checkpoint(String space) {
    Space current = spaces.get(space);
    return current == null ? 0 : current.checkpoint;
  }

  @Override
  public byte @Nullable [] get(String space, String key) {
    Space current = spaces.get(space);
    return current == null ? null : current.values.get(key);
  }

  @Override
  public void commit(String space, Map<String, byte @Nullable []> changes, long firstPosition, long checkpoint) {
    Space target = spaces.computeIfAbsent(space, name -> new Space());
    synchronized (target) {
      changes.forEach((key, value) -> {
        if (value == null) {
          target.values.remove(key);
        } else {
          target.values.put(key, value);
        }
      });
      target.checkpoint = checkpoint;
    }
  }

  @Override
  public @Nullable String liveSpace(String view) {
    return live.get(view);
  }

  @Override
  public void makeLive(String view, String space) {
    live.put(view, space);
  }

  @Override
  public void drop(String space) {
    spaces.remove(space);
  }

  /** How many keys {@code space} holds. */
  public int size(String space) {
    Space current = spaces.get(space);
    return current == null ? 0 : current.values.size();
  }

  @Override
  public void close() {
    // nothing to release
  }
}

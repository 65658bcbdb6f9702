package io.chiplog.views;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.jspecify.annotations.Nullable;

/**
 * The default durable view store: one file, no server. It is H2's MVStore, a copy-on-write
 * B-tree whose {@code commit} writes a new version atomically (a torn write is found by its
 * checksum and the previous version is used), so a batch's values and its checkpoint become
 * durable together.
 *
 * <p>MVStore's automatic commits are off: a commit happens only in {@link #commit}, after every
 * change of the batch and the checkpoint were put, so no version on disk ever holds half a batch.
 * Each space is a map {@code kv:<space>}, opened once and kept; the checkpoints and the live
 * spaces are two small maps.
 * Commits are not forced to the disk: after a power loss a view may restart from an older
 * checkpoint, which replay makes good; after a process crash nothing written is lost.
 *
 * <p>One process opens a file at a time (MVStore locks it).
 *
 * <p>Damage to the file (ViewCrashIT shows the first two): a torn or damaged end of the file
 * makes it open at an earlier version, which replay brings forward; damaged file headers make
 * {@link #open} fail. MVStore keeps no checksum of a page's contents, so a bit flipped inside a
 * live page can go unnoticed, as a wrong value or an error when the value is read. A view is
 * derived data: delete the file and the view is rebuilt from the log.
 */
public final class EmbeddedViewStore implements ViewStore {
  private static final String CHECKPOINTS = "checkpoints";
  private static final String LIVE = "live";

  private final MVStore store;
  private final MVMap<String, Long> checkpoints;
  private final MVMap<String, String> live;
  /** The open map of each space, so a read does not look its name up in the store's metadata. */
  private final Map<String, MVMap<String, byte[]>> spaces = new ConcurrentHashMap<>();
  /** Serializes writers: an MVStore commit covers every map, so two spaces must not interleave. */
  private final ReentrantLock writes = new ReentrantLock();

  private EmbeddedViewStore(MVStore store) {
    this.store = store;
    this.checkpoints = store.openMap(CHECKPOINTS);
    this.live = store.openMap(LIVE);
  }

  /**
   * Opens (or creates) the view store in the file {@code file}; its directory is created.
   *
   * @throws ViewStoreException when the file cannot be opened (for example another process has it)
   */
  public static EmbeddedViewStore open(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      MVStore store = new MVStore.Builder()
          .fileName(file.toString())
          .autoCommitDisabled()
          .autoCommitBufferSize(0) // no commit behind our back when unsaved pages pile up
          .cacheSize(64)
          .open();
      return new EmbeddedViewStore(store);
    } catch (MVStoreException | java.io.IOException e) {
      throw new ViewStoreException("cannot open the view store " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public long checkpoint(String space) {
    try {
      Long checkpoint = checkpoints.get(space);
      return checkpoint == null ? 0 : checkpoint;
    } catch (MVStoreException | IllegalStateException e) {
      throw new ViewStoreException("cannot read the checkpoint of " + space + ": " + e.getMessage(), e);
    }
  }

  @Override
  public byte @Nullable [] get(String space, String key) {
    try {
      MVMap<String, byte[]> map = existing(space);
      return map == null ? null : map.get(key);
    } catch (MVStoreException | IllegalStateException e) {
      throw new ViewStoreException("cannot read " + space + "/" + key + ": " + e.getMessage(), e);
    }
  }

  /**
   * The map of {@code space}, or null when it does not exist. Opened under the write lock, so a
   * read racing a drop cannot create the dropped map again.
   */
  private @Nullable MVMap<String, byte[]> existing(String space) {
    MVMap<String, byte[]> map = spaces.get(space);
    if (map != null && !map.isClosed()) {
      return map;
    }
    writes.lock();
    try {
      if (store.isClosed()) {
        throw new IllegalStateException("the view store is closed");
      }
      return store.hasMap(mapName(space)) ? opened(space) : null;
    } finally {
      writes.unlock();
    }
  }

  /** The map of {@code space}, created if missing; under the write lock. */
  private MVMap<String, byte[]> opened(String space) {
    MVMap<String, byte[]> map = spaces.get(space);
    if (map == null || map.isClosed()) {
      map = store.openMap(mapName(space));
      spaces.put(space, map);
    }
    return map;
  }

  @Override
  public void commit(String space, Map<String, byte @Nullable []> changes, long firstPosition, long checkpoint) {
    writes.lock();
    try {
      MVMap<String, byte[]> map = opened(space);
      for (Map.Entry<String, byte @Nullable []> change : changes.entrySet()) {
        byte[] value = change.getValue();
        if (value == null) {
          map.remove(change.getKey());
        } else {
          map.put(change.getKey(), value);
        }
      }
      checkpoints.put(space, checkpoint);
      store.commit();
    } catch (MVStoreException | IllegalStateException e) {
      rollBack();
      throw new ViewStoreException("cannot commit to " + space + ": " + e.getMessage(), e);
    } finally {
      writes.unlock();
    }
  }

  private void rollBack() {
    try {
      store.rollback();
    } catch (MVStoreException | IllegalStateException ignored) {
      // the store is broken or closed; the next open reads the last committed version
    }
  }

  @Override
  public @Nullable String liveSpace(String view) {
    try {
      return live.get(view);
    } catch (MVStoreException | IllegalStateException e) {
      throw new ViewStoreException("cannot read the live space of " + view + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void makeLive(String view, String space) {
    writes.lock();
    try {
      live.put(view, space);
      store.commit();
    } catch (MVStoreException | IllegalStateException e) {
      rollBack();
      throw new ViewStoreException("cannot switch " + view + " to " + space + ": " + e.getMessage(), e);
    } finally {
      writes.unlock();
    }
  }

  @Override
  public void drop(String space) {
    writes.lock();
    try {
      MVMap<String, byte[]> map = existing(space);
      if (map != null) {
        store.removeMap(map);
      }
      spaces.remove(space);
      checkpoints.remove(space);
      store.commit();
    } catch (MVStoreException | IllegalStateException e) {
      rollBack();
      throw new ViewStoreException("cannot drop " + space + ": " + e.getMessage(), e);
    } finally {
      writes.unlock();
    }
  }

  private static String mapName(String space) {
    return "kv:" + space;
  }

  /** Closes the file; nothing uncommitted is written. Closing again does nothing. */
  @Override
  public void close() {
    writes.lock();
    try {
      if (!store.isClosed()) {
        rollBack(); // uncommitted changes must not reach the file on close
        store.close();
      }
    } finally {
      writes.unlock();
    }
  }
}

package io.chiplog.model.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of locks picked by a key's hash: commands with the same consistency key take the
 * same lock and run one at a time in this process ("a lock per category" without a lock held
 * across the store, and without a map that grows with every key ever seen). Two keys may share
 * a lock; that only serializes them too. Thread-safe.
 */
public final class KeyedLocks {
  private final ReentrantLock[] locks;

  /** {@code stripes} locks; a power of two spreads hashes evenly. */
  public KeyedLocks(int stripes) {
    locks = new ReentrantLock[stripes];
    for (int i = 0; i < stripes; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /** The lock of {@code key}. */
  public ReentrantLock lockFor(String key) {
    int hash = key.hashCode();
    hash ^= hash >>> 16;
    return locks[Math.floorMod(hash, locks.length)];
  }
}

package io.chiplog.model.testing;

import io.chiplog.model.CommandContext;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;

/** A command context with a fixed time and ids from a seeded generator: repeatable tests. */
public final class FixedContext implements CommandContext {
  private final Instant now;
  private final Random random;

  /** The time {@code now}; ids from {@code seed}. */
  public FixedContext(Instant now, long seed) {
    this.now = now;
    this.random = new Random(seed);
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public UUID newId() {
    return new UUID((random.nextLong() & ~0xF000L) | 0x4000L, (random.nextLong() & ~(3L << 62)) | (2L << 62));
  }
}

package io.chiplog.testkit;

import java.util.stream.LongStream;

/**
 * The seeds of the seed-driven tests. {@code -Dchiplog.seed=N} replays one; {@code
 * -Dchiplog.seeds=K} runs seeds 1 to K (default 8; the Maven profile {@code seeds} runs 2,000).
 */
public final class Seeds {
  /** Seeds run when nothing is set. */
  public static final int DEFAULT_COUNT = 8;

  private Seeds() {}

  /** The seeds to run, for {@code @MethodSource("io.chiplog.testkit.Seeds#seeds")}. */
  public static LongStream seeds() {
    String one = System.getProperty("chiplog.seed");
    if (one != null && !one.isBlank()) {
      return LongStream.of(Long.parseLong(one.trim()));
    }
    return LongStream.rangeClosed(1, Integer.getInteger("chiplog.seeds", DEFAULT_COUNT));
  }
}

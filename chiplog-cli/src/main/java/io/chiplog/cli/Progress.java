package io.chiplog.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on stderr for long commands, drawn only when stderr is a terminal (never into
 * a pipe or a log file), at most ten times a second. Not thread-safe.
 */
final class Progress {
  private static final long REDRAW_NANOS = 100_000_000L;
  private static final int WIDTH = 30;

  private final PrintStream err;
  private final String unit;
  private final boolean enabled;
  private final long started = System.nanoTime();
  private long drawnAt;
  private long total;

  private Progress(PrintStream err, String unit, long total, boolean enabled) {
    this.err = err;
    this.unit = unit;
    this.total = total;
    this.enabled = enabled;
  }

  /** A bar counting {@code unit}s up to {@code total} (0 when unknown), shown on a terminal. */
  static Progress onTerminal(String unit, long total) {
    return new Progress(System.err, unit, total, System.console() != null);
  }

  /** Reports {@code done} units so far; redraws when enough time has passed. */
  void update(long done, long count) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (now - drawnAt < REDRAW_NANOS) {
      return;
    }
    drawnAt = now;
    draw(done, count, now);
  }

  /** Draws the final state and moves to a new line. */
  void finish(long done, long count) {
    if (enabled) {
      total = Math.max(total, done);
      draw(done, count, System.nanoTime());
      err.println();
    }
  }

  private void draw(long done, long count, long now) {
    double seconds = Math.max(1e-3, (now - started) / 1e9);
    String rate = String.format(Locale.ROOT, "%,.0f events/s", count / seconds);
    if (total > 0) {
      int filled = (int) Math.min(WIDTH, WIDTH * done / total);
      err.printf(Locale.ROOT, "\r[%s%s] %3d%% %,d events  %s   ",
          "=".repeat(filled), " ".repeat(WIDTH - filled), 100 * done / total, count, rate);
    } else {
      err.printf(Locale.ROOT, "\r%,d %s  %s   ", count, unit, rate);
    }
    err.flush();
  }
}

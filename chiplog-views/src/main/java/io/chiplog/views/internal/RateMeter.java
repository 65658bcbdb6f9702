package io.chiplog.views.internal;

import java.util.ArrayDeque;

/** Events per second over the last few seconds, from a running total sampled once a second. */
final class RateMeter {
  private static final long SAMPLE_NANOS = 1_000_000_000L;
  private static final int SAMPLES_MAX = 5;

  private record Sample(long nanos, long total) {}

  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private long total;

  synchronized void add(long events, long nowNanos) {
    total += events;
    Sample newest = samples.peekLast();
    if (newest == null || nowNanos - newest.nanos() >= SAMPLE_NANOS) {
      samples.addLast(new Sample(nowNanos, total));
      if (samples.size() > SAMPLES_MAX) {
        samples.removeFirst();
      }
    }
  }

  synchronized double perSecond(long nowNanos) {
    add(0, nowNanos);
    Sample oldest = samples.peekFirst();
    if (oldest == null || nowNanos - oldest.nanos() < 1) {
      return 0;
    }
    return (total - oldest.total()) * 1e9 / (nowNanos - oldest.nanos());
  }
}

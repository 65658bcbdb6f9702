package io.chiplog.cli;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What a bench run measured: operations per second and the latency distribution.
 *
 * @param name the workload and its settings, for the report's first words
 * @param operations how many operations completed in the measured time
 * @param seconds the measured time
 * @param latencyNanos the latency of each measured operation
 * @param failures operations that failed (reported, never counted as done)
 */
record BenchReport(String name, long operations, double seconds, Histogram latencyNanos, long failures) {

  double perSecond() {
    return operations / seconds;
  }

  String describe() {
    return String.format(
        Locale.ROOT,
        "%s: %,.0f/s (%,d in %.1f s, %d failed); latency ms p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f",
        name, perSecond(), operations, seconds, failures,
        millis(50), millis(90), millis(99), millis(99.9), latencyNanos.getMaxValue() / 1e6);
  }

  private double millis(double percentile) {
    return latencyNanos.getValueAtPercentile(percentile) / 1e6;
  }
}

/**
 * Benchmarks: one JMH class per question ({@code *Benchmark}) and the macro load generators,
 * {@link io.chiplog.bench.LoadGenerator} for the embedded store and the programming model, {@link
 * io.chiplog.bench.ViewLoad} for views. How to run them and the figures: {@code
 * docs/benchmarks.md}.
 */
package io.chiplog.bench;

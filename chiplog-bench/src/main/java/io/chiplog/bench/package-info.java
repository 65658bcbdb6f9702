/**
 * Benchmarks of the embedded store: one JMH class per question ({@code *Benchmark}) and the macro
 * {@link io.chiplog.bench.LoadGenerator}. How to run them and the figures: {@code
 * docs/benchmarks.md}.
 */
package io.chiplog.bench;

/**
 * The training-step benchmark ({@link io.github.cae4j.bench.CaeBench}): test-scope code, not part of
 * the library jar; run with {@code benchmarks/run-bench.sh}.
 */
package io.github.cae4j.bench;

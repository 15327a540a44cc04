/**
 * The training-step benchmark ({@link io.github.cae4j.bench.CaeBench}, {@code benchmarks/run-bench.sh})
 * and the Manifold Tangent Classifier's cost ({@link io.github.cae4j.bench.TangentBench},
 * {@code benchmarks/run-tangent-bench.sh}): test-scope code, not part of the library jar.
 */
package io.github.cae4j.bench;

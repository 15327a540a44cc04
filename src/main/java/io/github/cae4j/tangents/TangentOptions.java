package io.github.cae4j.tangents;

/**
 * How {@link ManifoldTangents} computes the leading singular vectors of a stack's Jacobian.
 *
 * <p>The method is block subspace iteration on {@code JᵀJ} with {@code r = k + oversampling} vectors
 * per example: its error in the k-th direction shrinks like {@code (σ_{r+1}/σ_k)^(2·iterations)}, so a
 * contractive encoder, whose spectrum falls off steeply, needs few iterations; a flat spectrum needs
 * more iterations or more oversampling.
 *
 * @param k            tangents per example, >= 1; at most the input width and the narrowest layer
 *                     (checked when the stack is known)
 * @param iterations   subspace iterations, in [1, 1000] (default {@value #DEFAULT_ITERATIONS})
 * @param oversampling extra vectors iterated besides the k kept, in [0, 1000] (default: k, capped
 *                     where the rank of J allows fewer)
 * @param batchSize    examples per batch of products, >= 1 (default {@value #DEFAULT_BATCH_SIZE});
 *                     memory per batch is about {@code batchSize·(k + oversampling)·max width} numbers
 * @param seed         seeds the random starting block, so results are repeatable
 */
public record TangentOptions(int k, int iterations, int oversampling, int batchSize, long seed) {

    /** Subspace iterations by default. */
    public static final int DEFAULT_ITERATIONS = 4;
    /** Examples per batch by default. */
    public static final int DEFAULT_BATCH_SIZE = 250;

    /** @throws IllegalArgumentException naming the field, the bad value and the allowed range */
    public TangentOptions {
        if (k < 1) {
            throw new IllegalArgumentException("TangentOptions: k (tangents per example) must be >= 1, got " + k);
        }
        if (iterations < 1 || iterations > 1000) {
            throw new IllegalArgumentException("TangentOptions: iterations must be in [1, 1000], got " + iterations);
        }
        if (oversampling < 0 || oversampling > 1000) {
            throw new IllegalArgumentException("TangentOptions: oversampling must be in [0, 1000], got " + oversampling);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("TangentOptions: batchSize must be >= 1, got " + batchSize);
        }
    }

    /** k tangents with the default iterations, oversampling k, batch size and seed 1. */
    public static TangentOptions of(int k) {
        return new TangentOptions(k, DEFAULT_ITERATIONS, k, DEFAULT_BATCH_SIZE, 1L);
    }

    public TangentOptions withIterations(int value) {
        return new TangentOptions(k, value, oversampling, batchSize, seed);
    }

    public TangentOptions withOversampling(int value) {
        return new TangentOptions(k, iterations, value, batchSize, seed);
    }

    public TangentOptions withBatchSize(int value) {
        return new TangentOptions(k, iterations, oversampling, value, seed);
    }

    public TangentOptions withSeed(long value) {
        return new TangentOptions(k, iterations, oversampling, batchSize, value);
    }
}

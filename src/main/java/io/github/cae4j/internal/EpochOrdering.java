package io.github.cae4j.internal;

import java.util.Random;

/**
 * The example order of one epoch, shared by the library's in-memory iterators so that the same seed
 * and epoch give the same minibatches in all of them: identity, or a Fisher-Yates shuffle seeded by
 * {@code (seed, epoch)} alone, which makes a resumed run see the batches the interrupted one would have.
 */
public final class EpochOrdering {

    private EpochOrdering() {
    }

    /**
     * @param n       number of examples
     * @param seed    the iterator's seed
     * @param epoch   0-based epoch index
     * @param shuffle false for the identity order
     * @return a permutation of {@code 0..n-1}
     */
    public static int[] of(int n, long seed, int epoch, boolean shuffle) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        if (shuffle) {
            Random rng = new Random(seed * 1_000_003L + epoch);
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        return idx;
    }
}

package io.github.cae4j.bench;

/**
 * Whether steps leave garbage behind: heap in use (after full GCs) before and after many steps.
 * ND4J's workspaces should make a training step allocate nothing that outlives it.
 *
 * <p>ND4J frees every buffer allocated outside a workspace (shape information, scalars; about 170 per
 * DL4J {@code fit} step even for a plain {@code DenseLayer} network) through its deallocator threads,
 * which run only after a GC has found the buffer dead. Right after 10,000 steps that queue can hold
 * 100+ MB of bookkeeping that is already garbage, so the heap is read only once repeated GCs stop
 * shrinking it.
 */
final class HeapCheck {

    private static final int MAX_SETTLE_ROUNDS = 50;
    private static final double SETTLED_MB = 0.25;

    private HeapCheck() {
    }

    /** @return {@code {beforeMb, afterMb}} */
    static double[] run(BenchCase c, int steps) {
        for (int i = 0; i < Math.min(steps, 50); i++) {
            c.step();
        }
        double before = settledUsedMb();
        for (int i = 0; i < steps; i++) {
            c.step();
        }
        return new double[]{before, settledUsedMb()};
    }

    private static double settledUsedMb() {
        double previous = Double.MAX_VALUE;
        double used = usedMb();
        for (int round = 0; round < MAX_SETTLE_ROUNDS && previous - used > SETTLED_MB; round++) {
            previous = used;
            used = usedMb();
        }
        return used;
    }

    private static double usedMb() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
    }
}

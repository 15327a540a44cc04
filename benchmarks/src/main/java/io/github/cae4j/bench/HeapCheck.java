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

    /**
     * The lowest heap reading once three GCs in a row have not lowered it by more than
     * {@link #SETTLED_MB}. A reading can also rise between GCs (the deallocator threads and the JIT
     * allocate too), so stopping at the first non-shrinking reading would report a backlog as growth.
     */
    private static double settledUsedMb() {
        double lowest = usedMb();
        int quietRounds = 0;
        for (int round = 0; round < MAX_SETTLE_ROUNDS && quietRounds < 3; round++) {
            double used = usedMb();
            quietRounds = used < lowest - SETTLED_MB ? 0 : quietRounds + 1;
            lowest = Math.min(lowest, used);
        }
        return lowest;
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

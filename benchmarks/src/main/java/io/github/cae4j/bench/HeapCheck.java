package io.github.cae4j.bench;

/**
 * Whether steps leave garbage behind: heap in use (after a full GC) before and after many steps.
 * ND4J's workspaces should make a training step allocate nothing that outlives it.
 */
final class HeapCheck {

    private HeapCheck() {
    }

    /** @return {@code {beforeMb, afterMb}} */
    static double[] run(BenchCase c, int steps) {
        for (int i = 0; i < Math.min(steps, 50); i++) {
            c.step();
        }
        double before = usedMb();
        for (int i = 0; i < steps; i++) {
            c.step();
        }
        return new double[]{before, usedMb()};
    }

    private static double usedMb() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
    }
}

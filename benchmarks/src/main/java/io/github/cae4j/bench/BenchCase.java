package io.github.cae4j.bench;

/** One timed operation of the benchmark: a training step, or the forward-only penalty. */
interface BenchCase {

    String name();

    /** Runs one step; blocks until its results are computed. */
    void step();

    /** Matrix-product FLOPs the step must do at the least (2·m·k·n per product), for the efficiency figure. */
    double usefulFlops();
}

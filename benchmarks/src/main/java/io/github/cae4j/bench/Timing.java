package io.github.cae4j.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Runs cases in interleaved timed rounds, so that machine noise hits every case alike. Besides wall
 * time it records the process's CPU time per step (all threads): on a machine shared with other jobs
 * wall time also counts the time the threads waited for a core, CPU time only what the step used
 * (including OpenMP threads that spin), so it separates "less work" from "less waiting".
 */
final class Timing {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** CPU milliseconds per step of each case in each round, from the latest {@link #interleaved} call. */
    static double[][] lastCpuMs;

    private Timing() {
    }

    /** Wall-clock nanoseconds. */
    static final LongSupplier WALL = System::nanoTime;

    /**
     * CPU nanoseconds of the whole process (all threads, native ones included). On a machine shared with
     * other jobs this counts the work a step does rather than the time it waits for a core; run with one
     * ND4J/BLAS thread ({@code --threads 1}, {@code OMP_NUM_THREADS=1}) so that it is also the wall time
     * the step would take alone on one core. The JVM's own threads (GC, JIT) are included; the OS counts
     * in ticks (10 ms here), so give each round a second or more.
     */
    static final LongSupplier PROCESS_CPU = OS::getProcessCpuTime;

    /** Milliseconds per step of each case in each round, by the wall clock: {@code [case][round]}. */
    static double[][] interleaved(BenchCase[] cases, int rounds, double secondsPerCase, int warmupSteps) {
        return interleaved(cases, rounds, secondsPerCase, warmupSteps, WALL);
    }

    /**
     * Milliseconds per step of each case in each round, by {@code clock}: {@code [case][round]}. Each
     * round runs a case for {@code secondsPerCase} of wall time.
     */
    static double[][] interleaved(BenchCase[] cases, int rounds, double secondsPerCase, int warmupSteps, LongSupplier clock) {
        for (BenchCase c : cases) {
            for (int i = 0; i < warmupSteps; i++) {
                c.step();
            }
        }
        double[][] ms = new double[cases.length][rounds];
        double[][] cpu = new double[cases.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < cases.length; k++) {
                long cpuStart = OS.getProcessCpuTime();
                long start = System.nanoTime();
                long clockStart = clock.getAsLong();
                long deadline = start + (long) (secondsPerCase * 1e9);
                int steps = 0;
                do {
                    cases[k].step();
                    steps++;
                } while (System.nanoTime() < deadline);
                ms[k][r] = (clock.getAsLong() - clockStart) / 1e6 / steps;
                cpu[k][r] = (OS.getProcessCpuTime() - cpuStart) / 1e6 / steps;
            }
        }
        lastCpuMs = cpu;
        return ms;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}

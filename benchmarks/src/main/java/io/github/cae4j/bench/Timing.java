package io.github.cae4j.bench;

import java.util.Arrays;

/**
 * Runs cases in interleaved timed rounds, so that machine noise hits every case alike. Besides wall
 * time it records the process's CPU time per step (all threads): on a machine shared with other jobs
 * wall time also counts the time the threads waited for a core, CPU time only what the step used
 * (including OpenMP threads that spin), so it separates "less work" from "less waiting".
 */
final class Timing {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** CPU milliseconds per step of each case in each round, from the latest {@link #interleaved} call. */
    static double[][] lastCpuMs;

    private Timing() {
    }

    /** Milliseconds per step of each case in each round: {@code [case][round]}. */
    static double[][] interleaved(BenchCase[] cases, int rounds, double secondsPerCase, int warmupSteps) {
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
                long deadline = start + (long) (secondsPerCase * 1e9);
                int steps = 0;
                long now;
                do {
                    cases[k].step();
                    steps++;
                    now = System.nanoTime();
                } while (now < deadline);
                ms[k][r] = (now - start) / 1e6 / steps;
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

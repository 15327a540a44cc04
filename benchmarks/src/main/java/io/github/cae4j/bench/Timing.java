package io.github.cae4j.bench;

import java.util.Arrays;

/** Runs cases in interleaved timed rounds, so that machine noise hits every case alike. */
final class Timing {

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
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < cases.length; k++) {
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
            }
        }
        return ms;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}

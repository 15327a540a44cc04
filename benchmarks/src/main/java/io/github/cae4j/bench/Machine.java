package io.github.cae4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a figure was measured on: the CPU model and the load other processes put on it, which the
 * benchmark prints beside every figure (a step time means little without the product rate and the
 * load of the moment).
 */
final class Machine {

    private Machine() {
    }

    /** The CPU's model name from {@code /proc/cpuinfo}, or the JVM's architecture where there is none. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    /** The 1/5/15-minute load averages ({@code /proc/loadavg}), or "unknown". */
    static String loadAverage() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/loadavg"));
            String[] f = lines.get(0).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Which BLAS JavaCPP's OpenBLAS preset loads: MKL when {@code -Dorg.bytedeco.openblas.load=mkl_rt}. */
    static String blas() {
        String load = System.getProperty("org.bytedeco.openblas.load");
        return load == null || load.isEmpty() ? "openblas" : load;
    }
}

package io.github.cae4j.bench;

import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A case run with other ND4J small-op thresholds for its own steps only, so that both settings are
 * timed in the same process and rounds ({@code --twin-thresholds}). The thresholds are the number of
 * elements (element-wise ops) and of sub-arrays (TAD reductions) per OpenMP thread below which
 * libnd4j runs an op on fewer threads; one thread means the calling thread, with no hand-off.
 */
final class ThresholdTwin {

    private ThresholdTwin() {
    }

    /** @param spec {@code ELEMENTWISE:TAD}, e.g. {@code 1000000000:1000000000} */
    static BenchCase of(BenchCase base, String spec) {
        String[] parts = spec.split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--twin-thresholds must be ELEMENTWISE:TAD, got '" + spec + "'");
        }
        int elementwise = Integer.parseInt(parts[0].trim());
        int tad = Integer.parseInt(parts[1].trim());
        return new BenchCase() {
            public String name() {
                return base.name() + "@ew" + elementwise + ":tad" + tad;
            }

            public void step() {
                Environment env = Nd4j.getEnvironment();
                int oldElementwise = env.elementwiseThreshold();
                int oldTad = env.tadThreshold();
                env.setElementwiseThreshold(elementwise);
                env.setTadThreshold(tad);
                try {
                    base.step();
                } finally {
                    env.setElementwiseThreshold(oldElementwise);
                    env.setTadThreshold(oldTad);
                }
            }

            public double usefulFlops() {
                return base.usefulFlops();
            }
        };
    }
}

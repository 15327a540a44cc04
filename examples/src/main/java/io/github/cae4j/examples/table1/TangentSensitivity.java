package io.github.cae4j.examples.table1;

import io.github.cae4j.tangents.Tangents;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How far a classifier's softmax output moves along directions at its inputs: the mean over the
 * inputs of {@code ‖∂p/∂x · u‖²}, for each rank of the inputs' manifold tangents and for random unit
 * directions. It is the quantity the MTC's penalty puts weight on (per tangent, without beta). A
 * classifier trained without the penalty that is far more sensitive along the tangents than along
 * random directions uses them to tell classes apart, so insensitivity along them costs accuracy.
 * Central differences in double precision (a copy of the network), two forward passes per direction.
 */
final class TangentSensitivity {

    /** Step of the central difference along a unit direction (pixels are in [0, 1]). */
    static final double STEP = 1e-4;

    /**
     * @param perRank mean {@code ‖∂p/∂x · u_i‖²} for the i-th tangent (leading first)
     * @param random  the same for one random unit direction per input
     */
    record Result(double[] perRank, double random) {

        /** Mean over the k tangents. */
        double meanOverRanks() {
            return Arrays.stream(perRank).average().orElseThrow();
        }

        /** Mean over the ranks divided by the random directions' value. */
        double tangentsOverRandom() {
            return meanOverRanks() / random;
        }

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mean_sq_output_derivative_per_tangent_rank", perRank);
            m.put("mean_sq_output_derivative_random_direction", random);
            m.put("tangents_over_random", tangentsOverRandom());
            return m;
        }
    }

    private TangentSensitivity() {
    }

    /**
     * @param x        inputs {@code [n, d]}
     * @param tangents their tangents, {@code [n, k, d]} unit vectors
     * @param seed     of the random directions
     */
    static Result of(MultiLayerNetwork net, INDArray x, Tangents tangents, long seed) {
        if (tangents.size() != x.size(0) || tangents.inputWidth() != x.size(1)) {
            throw new IllegalArgumentException("TangentSensitivity: " + tangents.size() + " tangent sets of width " + tangents.inputWidth()
                    + " for inputs " + Arrays.toString(x.shape()));
        }
        MultiLayerNetwork exact = net.convertDataType(DataType.DOUBLE);
        INDArray xd = x.castTo(DataType.DOUBLE);
        double[] perRank = new double[tangents.k()];
        for (int i = 0; i < perRank.length; i++) {
            INDArray u = tangents.vectors().get(NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all()).castTo(DataType.DOUBLE);
            perRank[i] = meanSquaredDerivative(exact, xd, u);
        }
        Nd4j.getRandom().setSeed(seed);
        INDArray r = Nd4j.randn(DataType.DOUBLE, x.size(0), x.size(1));
        INDArray norms = r.norm2(1).reshape(x.size(0), 1);
        r.diviColumnVector(norms);
        Reference.reachabilityFence(norms);   // ND4J's broadcasts may free a dead operand mid-op (docs/robustness.md)
        return new Result(perRank, meanSquaredDerivative(exact, xd, r));
    }

    /** Mean over rows of {@code ‖(p(x + h u) - p(x - h u)) / 2h‖²}, u one direction per row. */
    static double meanSquaredDerivative(MultiLayerNetwork net, INDArray x, INDArray u) {
        INDArray step = u.mul(STEP);
        INDArray d = net.output(x.add(step)).subi(net.output(x.sub(step))).divi(2 * STEP);
        return d.mul(d).sum(1).meanNumber().doubleValue();
    }
}

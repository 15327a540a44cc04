package io.github.cae4j.diagnostics;

import io.github.cae4j.internal.VectorBroadcasts;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.UnaryOperator;

/**
 * The paper's contraction curve: for points x and isotropic perturbations x' = x + r·u (u a random
 * unit vector), the mean ratio {@code ‖h(x') − h(x)‖ / ‖x' − x‖} as a function of the input distance
 * r. A contractive encoder has ratios below those of a plain one at small r (locally), and the
 * curve shows how far the contraction reaches.
 */
public final class ContractionCurve {

    private ContractionCurve() {
    }

    /**
     * @param encoder maps {@code [m, nIn]} to {@code [m, nOut]}
     * @param x       points {@code [m, nIn]}
     * @param radii   input distances r, each > 0
     * @return mean ratio per radius
     */
    public static double[] meanRatios(UnaryOperator<INDArray> encoder, INDArray x, double[] radii, long seed) {
        INDArray h = encoder.apply(x);
        double[] out = new double[radii.length];
        var rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        for (int i = 0; i < radii.length; i++) {
            if (!(radii[i] > 0)) {
                throw new IllegalArgumentException("radii must be > 0, got " + radii[i]);
            }
            INDArray u = Nd4j.randn(x.shape(), rng).castTo(x.dataType());
            VectorBroadcasts.diviColumnVector(u, u.norm2(1).reshape(-1, 1));
            INDArray hPrime = encoder.apply(x.add(u.muli(radii[i])));
            INDArray ratio = hPrime.subi(h).norm2(1).divi(radii[i]);
            out[i] = ratio.castTo(DataType.DOUBLE).meanNumber().doubleValue();
        }
        return out;
    }
}

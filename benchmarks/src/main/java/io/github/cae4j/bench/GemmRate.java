package io.github.cae4j.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GEMM-bound cost of a training step: the five matrix products an autoencoder step cannot avoid,
 * at their own shapes, through ND4J's BLAS, into column-major results (its fastest layout). Forward:
 * {@code x·W} and {@code h·W2}; backward: {@code hᵀ·δ2}, {@code δ2·W2ᵀ} and {@code xᵀ·δ1}. The
 * backward products have the minibatch as their inner dimension and run slower than the forward ones,
 * which is why they are measured rather than assumed.
 */
final class GemmRate implements BenchCase {

    private final Shape shape;
    private final INDArray x;
    private final INDArray w;
    private final INDArray h;
    private final INDArray w2;
    private final INDArray xhat;
    private final INDArray delta2;
    private final INDArray gradW2;
    private final INDArray deltaH;
    private final INDArray gradW;

    GemmRate(Shape s) {
        shape = s;
        int b = s.batch();
        int d = s.nIn();
        int k = s.nOut();
        x = Nd4j.rand(DataType.FLOAT, b, d);
        w = Nd4j.rand(DataType.FLOAT, d, k);
        h = Nd4j.create(DataType.FLOAT, new long[]{b, k}, 'f');
        w2 = Nd4j.rand(DataType.FLOAT, k, d);
        xhat = Nd4j.create(DataType.FLOAT, new long[]{b, d}, 'f');
        delta2 = Nd4j.rand(DataType.FLOAT, b, d);
        gradW2 = Nd4j.create(DataType.FLOAT, new long[]{k, d}, 'f');
        deltaH = Nd4j.create(DataType.FLOAT, new long[]{b, k}, 'f');
        gradW = Nd4j.create(DataType.FLOAT, new long[]{d, k}, 'f');
    }

    @Override
    public String name() {
        return "gemm";
    }

    @Override
    public void step() {
        x.mmuli(w, h);
        h.mmuli(w2, xhat);
        Nd4j.gemm(h, delta2, gradW2, true, false, 1.0, 0.0);
        Nd4j.gemm(delta2, w2, deltaH, false, true, 1.0, 0.0);
        Nd4j.gemm(x, deltaH, gradW, true, false, 1.0, 0.0);
    }

    @Override
    public double usefulFlops() {
        return shape.trainingStepFlops();
    }
}

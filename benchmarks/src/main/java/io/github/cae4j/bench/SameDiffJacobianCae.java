package io.github.cae4j.bench;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The CAE as a user without this library writes it in SameDiff: the Jacobian of every example is
 * materialised as a {@code [batch, h, d]} tensor {@code J = s'(a) ⊙ Wᵀ}, its squared norm added to
 * the loss, and autodiff derives the gradient. This is the reference the closed form is measured
 * against.
 */
final class SameDiffJacobianCae implements BenchCase {

    /** Above this many Jacobian entries the case is skipped: the tensor alone would need gigabytes. */
    static final long MAX_JACOBIAN_ELEMENTS = 150_000_000L;

    private final SameDiff sd;
    private final DataSet data;
    private final Shape shape;

    SameDiffJacobianCae(Shape s, INDArray x) {
        this.shape = s;
        sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, s.batch(), s.nIn());
        SDVariable w = sd.var("W", Nd4j.rand(DataType.FLOAT, s.nIn(), s.nOut()).subi(0.5).muli(0.1));
        SDVariable b = sd.var("b", Nd4j.zeros(DataType.FLOAT, 1, s.nOut()));
        SDVariable w2 = sd.var("W2", Nd4j.rand(DataType.FLOAT, s.nOut(), s.nIn()).subi(0.5).muli(0.1));
        SDVariable b2 = sd.var("b2", Nd4j.zeros(DataType.FLOAT, 1, s.nIn()));
        SDVariable h = sd.nn.sigmoid(in.mmul(w).add(b));
        SDVariable xhat = sd.nn.sigmoid(h.mmul(w2).add(b2));
        double eps = 1e-7;
        SDVariable bce = in.mul(sd.math.log(xhat.add(eps))).add(in.rsub(1.0).mul(sd.math.log(xhat.rsub(1.0).add(eps))))
                .sum().neg().div(s.batch());
        SDVariable slope = h.mul(h.rsub(1.0));                                           // s'(a) for the sigmoid, [b, h]
        SDVariable jacobian = sd.expandDims(slope, 2).mul(sd.expandDims(sd.transpose(w), 0)); // [b, h, d]
        SDVariable penalty = jacobian.mul(jacobian).sum().mul(AutoencoderCases.LAMBDA / s.batch());
        SDVariable loss = bce.add(penalty);
        sd.setLossVariables(loss);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Sgd(1e-3)).dataSetFeatureMapping("x").markLabelsUnused().build());
        data = new DataSet(x, null);
    }

    static boolean fits(Shape s) {
        return (long) s.batch() * s.nOut() * s.nIn() <= MAX_JACOBIAN_ELEMENTS;
    }

    @Override
    public String name() {
        return "autodiff-jacobian";
    }

    @Override
    public void step() {
        sd.fit(data);
    }

    @Override
    public double usefulFlops() {
        return shape.trainingStepFlops();
    }
}

package io.github.cae4j.pretrain;

import io.github.cae4j.internal.ActivationDerivatives;
import io.github.cae4j.internal.HigherOrderPenalty;
import io.github.cae4j.testing.TinyNets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LayerPretrainOptions#withHigherOrder} reaches the layer in {@link GreedyLayerwisePretrainer}, in the
 * tied (the layer's own pretraining step) and the untied ({@code fit} with a decoder layer) paths: the
 * CAE+H layer's Jacobian varies less around held-out data than that of the same layer pretrained with γ = 0.
 */
class HigherOrderPretrainingTest {

    private static final double SIGMA = 0.3;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void higherOrderPretrainingReducesTheJacobianVariation(boolean tied) {
        INDArray all = TinyNets.manifoldData(600, 16, 3, 8).castTo(DataType.FLOAT);
        INDArray train = all.get(NDArrayIndex.interval(0, 500), NDArrayIndex.all());
        INDArray heldOut = all.get(NDArrayIndex.interval(500, 600), NDArrayIndex.all());
        var schedule = new PretrainSchedule(32, 15, 15, 5);
        LayerPretrainOptions plain = LayerPretrainOptions.cae(8, 0.0).withUpdater(new Adam(0.01)).withTiedWeights(tied);
        LayerPretrainOptions higher = plain.withHigherOrder(20.0, SIGMA, 4);

        PretrainedStack stackA = new GreedyLayerwisePretrainer(List.of(plain), schedule, DataType.FLOAT).pretrain(train, heldOut);
        PretrainedStack stackB = new GreedyLayerwisePretrainer(List.of(higher), schedule, DataType.FLOAT).pretrain(train, heldOut);
        PretrainedAutoencoder a = stackA.autoencoders().get(0);
        PretrainedAutoencoder b = stackB.autoencoders().get(0);
        assertEquals(0.0, stackA.reports().get(0).gamma(), 0.0, "the report says which layer had the term");
        assertEquals(20.0, stackB.reports().get(0).gamma(), 0.0);
        assertEquals(20.0, stackB.reports().get(0).atLayer(3).gamma(), 0.0);
        assertNotEquals(a.W(), b.W());
        double variationPlain = variation(a, heldOut);
        double variationHigher = variation(b, heldOut);
        assertTrue(variationHigher < 0.7 * variationPlain,
                "held-out E||J(x) - J(x+eps)||^2: CAE+H " + variationHigher + ", plain " + variationPlain + (tied ? " (tied)" : " (untied)"));
    }

    /** Batch mean of {@code (1/n_c) Σ_c ‖J(x) − J(x + ε_c)‖²_F} with fixed noise. */
    private static double variation(PretrainedAutoencoder ae, INDArray x) {
        INDArray z = x.mmul(ae.W()).addiRowVector(ae.b());
        INDArray h = ae.activation().getActivation(z.dup(), false);
        ActivationDerivatives der = ActivationDerivatives.of(ae.activation());
        Nd4j.getRandom().setSeed(99);
        return HigherOrderPenalty.compute(z, h, der.first(z, h), ae.W(), null, ae.activation(), der, 1.0, SIGMA, 8).penaltySum()
                / x.size(0);
    }
}

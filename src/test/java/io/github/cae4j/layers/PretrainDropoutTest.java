package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.ExplicitJacobian;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dropout on a {@link ContractiveDenseLayer} in layer-wise pretraining: DL4J drops out the layer's input
 * before the pretraining step, and the tied decoder must still reconstruct the clean input (the
 * dropped-out one has targets up to 1/p, where cross-entropy is unbounded below).
 */
@ExtendWith(DoublePrecision.class)
class PretrainDropoutTest {

    private static final double LAMBDA = 0.4;

    /**
     * A dropout with a known pattern: keeps the even positions of the flattened input, doubled (as
     * inverted dropout with p = 0.5 would), and zeroes the odd ones; records what it produced.
     */
    static final class EvenPositionsDropout implements IDropout {
        INDArray lastOutput;

        static INDArray pattern(INDArray x) {
            INDArray keep = Nd4j.zeros(x.dataType(), x.length());
            for (long i = 0; i < keep.length(); i += 2) {
                keep.putScalar(i, 2.0);
            }
            return keep.reshape(x.ordering(), x.shape());
        }

        @Override
        public INDArray applyDropout(INDArray in, INDArray result, int iteration, int epoch, LayerWorkspaceMgr mgr) {
            result.assign(in.mul(pattern(in)));
            try (var ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                lastOutput = result.dup();
            }
            return result;
        }

        @Override
        public INDArray backprop(INDArray gradAtOutput, INDArray gradAtInput, int iteration, int epoch) {
            return gradAtInput.assign(gradAtOutput.mul(pattern(gradAtOutput)));
        }

        @Override
        public void clear() {
        }

        @Override
        public IDropout clone() {
            return new EvenPositionsDropout();
        }
    }

    private static MultiLayerNetwork encoder(IDropout dropout, IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(6).dataType(DataType.DOUBLE).updater(updater).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ContractiveDenseLayer.Builder().nIn(6).nOut(4).activation(Activation.SIGMOID).lambda(LAMBDA)
                        .reconstructionLoss(TinyNets.bce()).visibleBiasInit(0.1).dropOut(dropout).build())
                .build());
        net.init();
        return net;
    }

    @Test
    void theTiedDecoderReconstructsTheCleanInputFromTheDroppedOutOne() {
        EvenPositionsDropout dropout = new EvenPositionsDropout();
        MultiLayerNetwork net = encoder(dropout, new Adam(0.01));
        INDArray x = TinyNets.manifoldData(5, 6, 2, 61);
        double[] clean = x.data().asDouble();

        MultiLayerNetwork atTheStep = net.clone();   // the step's score is taken before its update
        net.pretrainLayer(0, x);     // DL4J's path: BaseLayer.fit → computeGradientAndScore
        var layer = (ContractiveDenseLayerImpl) net.getLayer(0);
        var before = atTheStep.getLayer(0);
        INDArray xTilde = ((EvenPositionsDropout) layer.layerConf().getIDropout()).lastOutput;
        assertArrayEquals(EvenPositionsDropout.pattern(x).mul(x).data().asDouble(), xTilde.data().asDouble(), 0.0,
                "the encoder saw the dropped-out input");
        assertArrayEquals(clean, x.data().asDouble(), 0.0, "the caller's features are left alone");

        // Independent computation: BCE against the clean x, penalty at the encoder's input x̃ (explicit Jacobian).
        INDArray W = before.getParam("W");
        INDArray h = Transforms.sigmoid(xTilde.mmul(W).addiRowVector(before.getParam("b")));
        INDArray xHat = Transforms.sigmoid(h.mmul(W.transpose()).addiRowVector(before.getParam("vb")));
        INDArray bce = x.mul(Transforms.log(xHat)).addi(x.rsub(1.0).muli(Transforms.log(xHat.rsub(1.0)))).negi();
        double[] jacobian = ExplicitJacobian.frobeniusSquared(atTheStep, 0, xTilde, 1e-6);
        double penalty = 0;
        for (double j : jacobian) {
            penalty += LAMBDA * j;
        }
        double expected = (bce.sumNumber().doubleValue() + penalty) / x.size(0);
        assertEquals(expected, layer.score(), 1e-7 * expected);
    }

    /** DL4J's own inverted dropout, with the generator reseeded before every score as the utility does. */
    @Test
    void pretrainGradientsWithDropoutMatchFiniteDifferences() {
        MultiLayerNetwork net = encoder(new Dropout(0.6), new NoOp());
        net.initGradientsView();
        INDArray x = TinyNets.manifoldData(5, 6, 2, 62);
        assertTrue(GradientCheckUtil.checkGradientsPretrainLayer(net.getLayer(0), 1e-6, 1e-5, 1e-8, false, false, x, 12345));
    }

    /** The reproduced failure: with dropOut(0.5) the clean objective rose from 11.4 to 18.9 over pretraining. */
    @Test
    void pretrainingWithDropoutLowersTheCleanObjective() {
        MultiLayerNetwork net = encoder(new Dropout(0.5), new Adam(0.02));
        INDArray x = TinyNets.manifoldData(64, 6, 2, 63);
        var layer = (ContractiveDenseLayerImpl) net.getLayer(0);
        double before = layer.tiedObjective(x);
        Nd4j.getRandom().setSeed(7);
        for (int step = 0; step < 150; step++) {
            net.pretrainLayer(0, x);
        }
        double after = layer.tiedObjective(x);
        assertTrue(after < 0.95 * before, "clean tied objective " + before + " -> " + after);
    }
}

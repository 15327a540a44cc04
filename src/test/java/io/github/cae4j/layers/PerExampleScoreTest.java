package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.ExplicitJacobian;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code scoreExamples(ds, true)} gives each example its own {@code reconstruction(x_i) + Σ_k λ_k‖J_k(x_i)‖²_F}
 * (plus the network's l1/l2, which DL4J adds to every row), so an example's score does not depend on the
 * rest of its batch. Checked against an independent computation: cross-entropy of the network output
 * written out here, and Jacobians built explicitly by finite differences.
 */
@ExtendWith(DoublePrecision.class)
class PerExampleScoreTest {

    private static final double LAMBDA_1 = 0.8;
    private static final double LAMBDA_2 = 1.3;
    private static final double L2 = 0.01;

    /** Two contractive encoders and a decoder; the second encoder's Jacobian is taken w.r.t. its own input. */
    private static MultiLayerNetwork stack(WorkspaceMode mode, double l2) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(17).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(mode).inferenceWorkspaceMode(mode)
                .list()
                .layer(new ContractiveDenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).lambda(LAMBDA_1).build())
                .layer(new ContractiveDenseLayer.Builder().nIn(5).nOut(4).activation(Activation.SIGMOID).lambda(LAMBDA_2).build())
                .layer(new DecoderOutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).l2(l2).build())
                .build());
        net.init();
        return net;
    }

    /** The second encoder alone, with the stack's parameters, so its Jacobian can be taken w.r.t. h1. */
    private static MultiLayerNetwork secondEncoderOf(MultiLayerNetwork stack) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).updater(new NoOp()).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(5).nOut(4).activation(Activation.SIGMOID).lambda(LAMBDA_2).build())
                .layer(new DecoderOutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).build())
                .build());
        net.init();
        net.getLayer(0).setParams(stack.getLayer(1).params());
        net.getLayer(1).setParams(stack.getLayer(2).params());
        return net;
    }

    /** Σ_j −[x log x̂ + (1−x) log(1−x̂)] per row, written out independently of the library's loss. */
    private static double[] crossEntropy(INDArray x, INDArray xHat) {
        double[] out = new double[(int) x.size(0)];
        for (int n = 0; n < out.length; n++) {
            for (int j = 0; j < x.size(1); j++) {
                double t = x.getDouble(n, j);
                double p = xHat.getDouble(n, j);
                out[n] -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
            }
        }
        return out;
    }

    private static double l2Term(MultiLayerNetwork net) {
        double w = net.getLayer(2).getParam("W").norm2Number().doubleValue();
        return L2 * 0.5 * w * w;
    }

    @ParameterizedTest
    @EnumSource(value = WorkspaceMode.class, names = {"NONE", "ENABLED"})
    void eachExampleScoresItsOwnReconstructionAndPenalty(WorkspaceMode mode) {
        MultiLayerNetwork net = stack(mode, L2);
        INDArray x = TinyNets.manifoldData(7, 6, 2, 51);
        double[] scores = net.scoreExamples(new DataSet(x, x), true).data().asDouble();

        double[] reconstruction = crossEntropy(x, net.output(x));
        double[] j1 = ExplicitJacobian.frobeniusSquared(net, 0, x, 1e-6);
        INDArray h1 = net.feedForwardToLayer(0, x, false).get(1).dup();
        double[] j2 = ExplicitJacobian.frobeniusSquared(secondEncoderOf(net), 0, h1, 1e-6);
        double l2 = l2Term(net);
        for (int i = 0; i < scores.length; i++) {
            double expected = reconstruction[i] + LAMBDA_1 * j1[i] + LAMBDA_2 * j2[i] + l2;
            assertEquals(expected, scores[i], 1e-6 * (1 + expected), "example " + i + " (" + mode + ")");
        }

        double[] withoutTerms = net.scoreExamples(new DataSet(x, x), false).data().asDouble();
        for (int i = 0; i < scores.length; i++) {
            assertEquals(reconstruction[i], withoutTerms[i], 1e-9 * (1 + reconstruction[i]), "example " + i + " without regularization terms");
        }
    }

    @Test
    void anExamplesScoreDoesNotDependOnTheRestOfItsBatch() {
        MultiLayerNetwork net = stack(WorkspaceMode.ENABLED, L2);
        INDArray x = TinyNets.manifoldData(6, 6, 2, 52);
        INDArray others = TinyNets.manifoldData(6, 6, 2, 53).muli(0.2);   // far from x: other penalties
        double[] inBatch = net.scoreExamples(new DataSet(x, x), true).data().asDouble();
        for (int i = 0; i < x.size(0); i++) {
            INDArray alone = x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all()).dup();
            double single = net.scoreExamples(new DataSet(alone, alone), true).getDouble(0);
            INDArray mixed = Nd4j.vstack(alone, others);
            double amongOthers = net.scoreExamples(new DataSet(mixed, mixed), true).getDouble(0);
            assertEquals(single, inBatch[i], 1e-10 * (1 + single), "example " + i + ": alone vs in its batch");
            assertEquals(single, amongOthers, 1e-10 * (1 + single), "example " + i + ": alone vs among other examples");
        }
    }

    /** Without l1/l2, the batch mean of the per-example scores is the network score, as for DL4J's own layers. */
    @Test
    void theMeanOfThePerExampleScoresIsTheScore() {
        MultiLayerNetwork net = stack(WorkspaceMode.ENABLED, 0.0);
        INDArray x = TinyNets.manifoldData(8, 6, 2, 54);
        DataSet ds = new DataSet(x, x);
        double mean = net.scoreExamples(ds, true).meanNumber().doubleValue();
        assertEquals(net.score(ds), mean, 1e-10 * (1 + mean));
    }
}

package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CAE as a ComputationGraph ({@link ContractiveDenseLayer} and {@link DecoderOutputLayer} vertices):
 * the same scores and gradients as the MultiLayerNetwork with the same parameters, gradients against
 * finite differences, per-example scores, and a ModelSerializer round trip compared buffer for buffer.
 */
@ExtendWith(DoublePrecision.class)
class ComputationGraphTest {

    private static final double LAMBDA = 0.6;

    private static ComputationGraph graph(DataType dataType, IUpdater updater) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(31).dataType(dataType).updater(updater).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("x")
                .addLayer("enc", new ContractiveDenseLayer.Builder().nIn(6).nOut(4).activation(Activation.TANH).lambda(LAMBDA).build(),
                        "x")
                .addLayer("dec", new DecoderOutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).build(), "enc")
                .setOutputs("dec")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static MultiLayerNetwork network(DataType dataType, IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(31).dataType(dataType).updater(updater).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ContractiveDenseLayer.Builder().nIn(6).nOut(4).activation(Activation.TANH).lambda(LAMBDA).build())
                .layer(new DecoderOutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).build())
                .build());
        net.init();
        return net;
    }

    private static double[] values(INDArray a) {
        return a.dup('c').data().asDouble();
    }

    @Test
    void scoresAndGradientsEqualTheMultiLayerNetworksForTheSameParameters() {
        ComputationGraph g = graph(DataType.DOUBLE, new NoOp());
        MultiLayerNetwork net = network(DataType.DOUBLE, new NoOp());
        net.setParams(g.params());      // same layer order, same flat layout
        INDArray x = TinyNets.manifoldData(7, 6, 2, 81);
        DataSet ds = new DataSet(x, x);

        assertEquals(net.score(ds), g.score(ds), 1e-12, "score(DataSet)");
        assertEquals(net.score(ds, true), g.score(ds, true), 1e-12, "training-mode score");
        assertArrayEquals(values(net.output(x)), values(g.outputSingle(x)), 1e-12, "output");
        assertArrayEquals(values(net.scoreExamples(ds, true)), values(g.scoreExamples(ds, true)), 1e-12, "per-example scores");

        net.setInput(x);
        net.setLabels(x);
        net.computeGradientAndScore();
        g.setInputs(x);
        g.setLabels(x);
        g.computeGradientAndScore();
        assertEquals(net.score(), g.score(), 1e-12, "step score");
        assertArrayEquals(values(net.gradient().gradient()), values(g.gradient().gradient()), 1e-12, "flat gradient");
    }

    /** Per-example scores in the graph: each example's own penalty, independent of its batch. */
    @Test
    void perExampleScoresDoNotDependOnTheBatch() {
        ComputationGraph g = graph(DataType.DOUBLE, new NoOp());
        INDArray x = TinyNets.manifoldData(5, 6, 2, 82);
        double[] inBatch = values(g.scoreExamples(new DataSet(x, x), true));
        for (int i = 0; i < x.size(0); i++) {
            INDArray alone = x.getRow(i, true).dup();
            double single = g.scoreExamples(new DataSet(alone, alone), true).getDouble(0);
            assertEquals(single, inBatch[i], 1e-10 * (1 + single), "example " + i);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        ComputationGraph g = graph(DataType.DOUBLE, new NoOp());
        INDArray x = TinyNets.manifoldData(5, 6, 2, 83);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                .inputs(new INDArray[]{x}).labels(new INDArray[]{x})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)));
    }

    @Test
    void modelSerializerRoundTripIsBitIdentical(@TempDir File dir) throws Exception {
        ComputationGraph g = graph(DataType.FLOAT, new Adam(0.01));
        INDArray x = TinyNets.manifoldData(12, 6, 2, 84).castTo(DataType.FLOAT);
        DataSet ds = new DataSet(x, x);
        for (int i = 0; i < 4; i++) {
            g.fit(ds);
        }
        File file = new File(dir, "cae-graph.zip");
        ModelSerializer.writeModel(g, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

        assertEquals(g.getConfiguration(), restored.getConfiguration());
        assertInstanceOf(ContractiveDenseLayerImpl.class, restored.getLayer("enc"));
        assertInstanceOf(DecoderOutputLayerImpl.class, restored.getLayer("dec"));
        assertArrayEquals(g.params().dup().data().asFloat(), restored.params().dup().data().asFloat(), 0f, "parameters");
        assertArrayEquals(g.getUpdater().getStateViewArray().dup().data().asFloat(),
                restored.getUpdater().getStateViewArray().dup().data().asFloat(), 0f, "updater state");
        assertArrayEquals(g.outputSingle(x).dup().data().asFloat(), restored.outputSingle(x).dup().data().asFloat(), 0f, "outputs");
        assertEquals(g.score(ds), restored.score(ds), 0.0, "score");

        Nd4j.getRandom().setSeed(5);
        g.fit(ds);
        Nd4j.getRandom().setSeed(5);
        restored.fit(ds);
        assertArrayEquals(g.params().dup().data().asFloat(), restored.params().dup().data().asFloat(), 0f,
                "training continues identically");
    }
}

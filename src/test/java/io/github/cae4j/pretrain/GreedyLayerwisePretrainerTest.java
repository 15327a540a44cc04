package io.github.cae4j.pretrain;

import io.github.cae4j.testing.Exact;
import io.github.cae4j.layers.ContractiveDenseLayerImpl;
import io.github.cae4j.losses.ContractiveLossFunction;

import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.testing.TinyNets;
import io.github.cae4j.training.ShuffledBatchIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GreedyLayerwisePretrainerTest {

    private static INDArray data(int m, long seed) {
        return TinyNets.manifoldData(m, 16, 3, seed).castTo(DataType.FLOAT);
    }

    private static INDArray[] trainAndHeldOut() {
        INDArray all = data(600, 8);
        return new INDArray[]{all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 500), org.nd4j.linalg.indexing.NDArrayIndex.all()),
                all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(500, 600), org.nd4j.linalg.indexing.NDArrayIndex.all())};
    }

    @Test
    void stackedCaeLearnsEachLayerAndInitialisesTheClassifier() {
        INDArray[] d = trainAndHeldOut();
        var pretrainer = new GreedyLayerwisePretrainer(
                List.of(LayerPretrainOptions.cae(10, 0.5).withUpdater(new Adam(0.01)),
                        LayerPretrainOptions.cae(6, 0.5).withUpdater(new Adam(0.01))),
                new PretrainSchedule(32, 40, 5, 1), DataType.FLOAT);
        PretrainedStack stack = pretrainer.pretrain(d[0], d[1]);

        assertEquals(2, stack.reports().size());
        for (LayerReport r : stack.reports()) {
            double first = r.heldOutScoreByEpoch().get(0);
            double best = r.heldOutScoreByEpoch().get(r.bestEpoch());
            assertTrue(best < first, "layer " + r.layer() + " held-out objective should fall: " + r.heldOutScoreByEpoch());
            assertTrue(r.epochs() >= 1 && r.seconds() > 0 && r.heldOutMeanJacobianNorm() > 0);
        }
        assertEquals(16, stack.reports().get(0).nIn());
        assertEquals(10, stack.reports().get(1).nIn());

        MultiLayerNetwork classifier = stack.classifier(new ClassifierOptions(3, new Adam(1e-3), 0, 7, DataType.FLOAT));
        Exact.assertBitIdentical(stack.autoencoders().get(0).W(), classifier.getLayer(0).getParam("W"), "layer 0 W");
        Exact.assertBitIdentical(stack.autoencoders().get(1).b(), classifier.getLayer(1).getParam("b"), "layer 1 b");
        Exact.assertBitIdentical(stack.encode(d[1]), classifier.feedForwardToLayer(1, d[1], false).get(2), "encoding");
        assertEquals(3, classifier.output(d[1]).size(1));
    }

    /** Layer 2 must see h1: pretraining it alone on h1 with the same seed gives exactly the same weights. */
    @Test
    void secondLayerIsTrainedOnTheFirstLayersOutput() {
        INDArray[] d = trainAndHeldOut();
        var schedule = new PretrainSchedule(50, 3, 3, 21);
        var layer1 = LayerPretrainOptions.cae(8, 0.3);
        var layer2 = LayerPretrainOptions.cae(5, 0.3);
        PretrainedStack stack = new GreedyLayerwisePretrainer(List.of(layer1, layer2), schedule, DataType.FLOAT).pretrain(d[0], d[1]);

        INDArray h1 = stack.autoencoders().get(0).encode(d[0]);
        INDArray h1HeldOut = stack.autoencoders().get(0).encode(d[1]);
        PretrainedStack alone = new GreedyLayerwisePretrainer(List.of(layer2), new PretrainSchedule(50, 3, 3, 22), DataType.FLOAT)
                .pretrain(h1, h1HeldOut);
        Exact.assertBitIdentical(alone.autoencoders().get(0).W(), stack.autoencoders().get(1).W(), "layer 1 trained on h1 alone vs in the stack");
    }

    @Test
    void untiedLayersTrainThroughFitWithADecoderLayer() {
        INDArray[] d = trainAndHeldOut();
        var opts = LayerPretrainOptions.cae(8, 0.3).withTiedWeights(false).withUpdater(new Adam(0.01));
        PretrainedStack stack = new GreedyLayerwisePretrainer(List.of(opts), new PretrainSchedule(32, 20, 4, 3), DataType.FLOAT)
                .pretrain(d[0], d[1]);
        LayerReport r = stack.reports().get(0);
        assertTrue(r.heldOutScoreByEpoch().get(r.bestEpoch()) < r.heldOutScoreByEpoch().get(0), r.heldOutScoreByEpoch().toString());
        assertEquals(List.of(8L, 16L), List.of(stack.autoencoders().get(0).decoderW().size(0), stack.autoencoders().get(0).decoderW().size(1)));
    }

    /**
     * Input noise with an untied decoder (refused until noise worked under {@code fit()}): the denoising
     * layer trains, its noise really reaches the encoder (the same run without noise, or with another
     * seed, ends elsewhere), and the same seed gives the same bits.
     */
    @Test
    void untiedDenoisingLayersTrainOnNoisyInput() {
        INDArray[] d = trainAndHeldOut();
        var schedule = new PretrainSchedule(32, 6, 6, 3);
        var masking = LayerPretrainOptions.cae(8, 0.3).withCorruptionLevel(0.3).withTiedWeights(false).withUpdater(new Adam(0.01));
        PretrainedStack a = new GreedyLayerwisePretrainer(List.of(masking), schedule, DataType.FLOAT).pretrain(d[0], d[1]);
        PretrainedStack again = new GreedyLayerwisePretrainer(List.of(masking), schedule, DataType.FLOAT).pretrain(d[0], d[1]);
        PretrainedStack clean = new GreedyLayerwisePretrainer(List.of(masking.withCorruptionLevel(0.0)), schedule, DataType.FLOAT)
                .pretrain(d[0], d[1]);
        PretrainedStack otherSeed = new GreedyLayerwisePretrainer(List.of(masking), new PretrainSchedule(32, 6, 6, 4), DataType.FLOAT)
                .pretrain(d[0], d[1]);
        LayerReport r = a.reports().get(0);
        assertTrue(r.heldOutScoreByEpoch().get(r.bestEpoch()) < r.heldOutScoreByEpoch().get(0), r.heldOutScoreByEpoch().toString());
        Exact.assertBitIdentical(a.autoencoders().get(0).W(), again.autoencoders().get(0).W(), "same seed");
        Exact.assertBitIdentical(a.autoencoders().get(0).decoderW(), again.autoencoders().get(0).decoderW(), "same seed, decoder");
        Exact.assertDiffers(a.autoencoders().get(0).W(), clean.autoencoders().get(0).W(), "the masking noise reaches the encoder");
        Exact.assertDiffers(a.autoencoders().get(0).W(), otherSeed.autoencoders().get(0).W(), "another seed draws other noise");

        var gaussian = LayerPretrainOptions.gaussianDenoising(8, 0.2).withTiedWeights(false).withUpdater(new Adam(0.01));
        PretrainedStack g = new GreedyLayerwisePretrainer(List.of(gaussian), schedule, DataType.FLOAT).pretrain(d[0], d[1]);
        PretrainedStack gClean = new GreedyLayerwisePretrainer(List.of(gaussian.withGaussianNoise(0.0)), schedule, DataType.FLOAT)
                .pretrain(d[0], d[1]);
        Exact.assertDiffers(g.autoencoders().get(0).W(), gClean.autoencoders().get(0).W(), "the Gaussian noise reaches the encoder");
    }

    /**
     * DL4J 1.0.0-M2.1's {@code pretrainLayer(1, x)} trains layer 1 on the raw features x, not on h1:
     * its result equals fitting layer 1 on x directly. Our path (above) uses h1.
     */
    @Test
    void dl4jPretrainLayerFeedsRawFeaturesToUpperLayers() {
        INDArray x = data(32, 5);
        MultiLayerNetwork viaDl4j = twoCaeStack();
        viaDl4j.pretrainLayer(1, x);

        MultiLayerNetwork onRaw = twoCaeStack();
        onRaw.initGradientsView();
        onRaw.getLayer(1).fit(x, LayerWorkspaceMgr.noWorkspaces());

        MultiLayerNetwork onH1 = twoCaeStack();
        onH1.initGradientsView();
        INDArray h1 = onH1.feedForwardToLayer(0, x, false).get(1);
        onH1.getLayer(1).fit(h1, LayerWorkspaceMgr.noWorkspaces());

        Exact.assertBitIdentical(onRaw.getLayer(1).params(), viaDl4j.getLayer(1).params(), "DL4J trained layer 1 on raw x");
        Exact.assertDiffers(onH1.getLayer(1).params(), viaDl4j.getLayer(1).params(), "layer 1 trained on h1 vs on raw x");

        // With the network's own index set to k (the documented workaround), DL4J does use h1.
        MultiLayerNetwork workaround = twoCaeStack();
        workaround.setIndex(1);
        workaround.pretrainLayer(1, x);
        workaround.setIndex(0);
        Exact.assertBitIdentical(onH1.getLayer(1).params(), workaround.getLayer(1).params(), "the workaround trains on h1");
    }

    /** One pretrain layer: DL4J's own {@code pretrain(iterator)} works with the layer (tied CAE). */
    @Test
    void dl4jPretrainWorksForASingleContractiveLayer() {
        INDArray x = data(256, 6);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(0.01))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(16).nOut(8).activation(Activation.SIGMOID).lambda(0.2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        var layer = (io.github.cae4j.layers.ContractiveDenseLayerImpl) net.getLayer(0);
        double before = layer.tiedObjective(x);
        INDArray outputLayerBefore = net.getLayer(1).params().dup();
        net.pretrain(ShuffledBatchIterator.autoencoder(x, 32, 1, true), 10);
        double after = layer.tiedObjective(x);
        assertTrue(after < 0.9 * before, before + " -> " + after);
        Exact.assertBitIdentical(outputLayerBefore, net.getLayer(1).params(), "pretrain leaves the output layer alone");
    }

    /**
     * DL4J's built-in AutoEncoder steps uphill (its gradient has the wrong sign); the same settings
     * with a λ = 0 ContractiveDenseLayer go downhill.
     */
    @Test
    void dl4jAutoEncoderClimbsWhileTheContractiveLayerDescends() {
        INDArray x = data(64, 9);
        MultiLayerNetwork dl4j = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.05))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new org.deeplearning4j.nn.conf.layers.AutoEncoder.Builder().nIn(16).nOut(8).activation(Activation.SIGMOID)
                        .lossFunction(LossFunctions.LossFunction.MSE).build())
                .build());
        dl4j.init();
        MultiLayerNetwork ours = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.05))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(16).nOut(8).activation(Activation.SIGMOID).lambda(0)
                        .reconstructionLoss(new io.github.cae4j.losses.ContractiveLossFunction()).build())
                .build());
        ours.init();
        double[] dl4jScores = scoresOverPretraining(dl4j, x);
        double[] ourScores = scoresOverPretraining(ours, x);
        assertTrue(dl4jScores[1] > dl4jScores[0], "DL4J AutoEncoder: " + dl4jScores[0] + " -> " + dl4jScores[1]);
        assertTrue(ourScores[1] < ourScores[0], "ContractiveDenseLayer: " + ourScores[0] + " -> " + ourScores[1]);
    }

    private static double[] scoresOverPretraining(MultiLayerNetwork net, INDArray x) {
        net.pretrainLayer(0, x);
        double first = net.getLayer(0).score();
        for (int i = 0; i < 200; i++) {
            net.pretrainLayer(0, x);
        }
        return new double[]{first, net.getLayer(0).score()};
    }

    private static MultiLayerNetwork twoCaeStack() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(11).updater(new Sgd(0.1))
                .dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(16).nOut(16).activation(Activation.SIGMOID).lambda(0.1).build())
                .layer(new ContractiveDenseLayer.Builder().nIn(16).nOut(4).activation(Activation.SIGMOID).lambda(0.1).build())
                .build());
        net.init();
        return net;
    }

    @Test
    void badOptionsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> LayerPretrainOptions.cae(10, -1));
        assertTrue(e.getMessage().contains("lambda") && e.getMessage().contains("-1.0"), e.getMessage());
        var u = assertThrows(IllegalArgumentException.class, () -> LayerPretrainOptions.denoising(10, 1.0));
        assertTrue(u.getMessage().contains("corruptionLevel must be in [0, 1), got 1.0"), u.getMessage());
        var s = assertThrows(IllegalArgumentException.class, () -> new PretrainSchedule(0, 1, 1, 0));
        assertTrue(s.getMessage().contains("batchSize") && s.getMessage().contains("0"), s.getMessage());
    }
}

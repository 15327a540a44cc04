package io.github.cae4j.pretrain;

import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.losses.ContractiveLossFunction;
import io.github.cae4j.training.EarlyStoppingRun;
import io.github.cae4j.training.ShuffledBatchIterator;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pretraining helpers refuse mismatched sizes and bad data with messages that name them. */
class PretrainValidationTest {

    private static PretrainedAutoencoder ae(int nIn, int nOut, int decoderRows, int decoderCols) {
        return new PretrainedAutoencoder(Nd4j.rand(nIn, nOut), Nd4j.zeros(nOut), Activation.SIGMOID.getActivationFunction(),
                Nd4j.rand(decoderRows, decoderCols), Nd4j.zeros(decoderCols), Activation.SIGMOID.getActivationFunction(),
                new ContractiveLossFunction());
    }

    @Test
    void decoderThatDoesNotMapBackToTheInputIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new PretrainedAutoencoder(Nd4j.rand(6, 4), Nd4j.zeros(4),
                Activation.SIGMOID.getActivationFunction(), Nd4j.rand(4, 5), Nd4j.zeros(6), Activation.SIGMOID.getActivationFunction(),
                new ContractiveLossFunction()));
        assertTrue(e.getMessage().contains("decoderW must be [4, 6]") && e.getMessage().contains("[4, 5]"), e.getMessage());
        var b = assertThrows(IllegalArgumentException.class, () -> new PretrainedAutoencoder(Nd4j.rand(6, 4), Nd4j.zeros(3),
                Activation.SIGMOID.getActivationFunction(), Nd4j.rand(4, 6), Nd4j.zeros(6), Activation.SIGMOID.getActivationFunction(),
                new ContractiveLossFunction()));
        assertTrue(b.getMessage().contains("b must hold 4 values"), b.getMessage());
    }

    @Test
    void gaussianNoiseMustBeFiniteAndNonNegative() {
        var neg = assertThrows(IllegalArgumentException.class, () -> LayerPretrainOptions.gaussianDenoising(10, -0.5));
        assertTrue(neg.getMessage().contains("gaussianNoise must be finite and >= 0, got -0.5"), neg.getMessage());
        var nan = assertThrows(IllegalArgumentException.class, () -> LayerPretrainOptions.gaussianDenoising(10, Double.NaN));
        assertTrue(nan.getMessage().contains("gaussianNoise must be finite and >= 0, got NaN"), nan.getMessage());
        // untied decoders take input noise too (GreedyLayerwisePretrainerTest.untiedDenoisingLayersTrainOnNoisyInput)
        assertEquals(0.3, LayerPretrainOptions.gaussianDenoising(10, 0.3).withTiedWeights(false).gaussianNoise());
        assertEquals(0.2, LayerPretrainOptions.denoising(10, 0.2).withTiedWeights(false).corruptionLevel());
    }

    @Test
    void stackWhoseLayersDoNotChainIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new PretrainedStack(List.of(ae(6, 4, 4, 6), ae(5, 3, 3, 5)),
                List.of()));
        assertTrue(e.getMessage().contains("autoencoder 0 outputs 4 units but autoencoder 1 takes nIn = 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PretrainedStack(Collections.emptyList(), List.of()));
    }

    @Test
    void emptyOrNonFiniteInputsAreRefusedBeforeTraining() {
        GreedyLayerwisePretrainer p = new GreedyLayerwisePretrainer(List.of(LayerPretrainOptions.cae(3, 0.1)),
                new PretrainSchedule(4, 1, 1, 1), DataType.FLOAT);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 5);
        var empty = assertThrows(IllegalArgumentException.class, () -> p.pretrain(Nd4j.create(DataType.FLOAT, 0, 5), x));
        assertTrue(empty.getMessage().contains("must not be empty"), empty.getMessage());
        INDArray bad = x.dup();
        bad.putScalar(3, 1, Float.NaN);
        var nan = assertThrows(IllegalArgumentException.class, () -> p.pretrain(bad, x));
        assertTrue(nan.getMessage().contains("train inputs contain NaN or Inf"), nan.getMessage());
        var width = assertThrows(IllegalArgumentException.class, () -> p.pretrain(x, Nd4j.rand(DataType.FLOAT, 8, 6)));
        assertTrue(width.getMessage().contains("same width"), width.getMessage());
    }

    @Test
    void emptyTrainingIteratorIsRefused() {
        MultiLayerNetwork net = TinyNets.autoencoder(5, 3, Activation.SIGMOID, 0.1, new Sgd(0.1), 1);
        DataSetIterator neverAny = new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(Collections.<DataSet>emptyList(), 4);
        EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(1)).modelSaver(new InMemoryModelSaver<>()).build();
        var e = assertThrows(IllegalArgumentException.class, () -> EarlyStoppingRun.run("ft", es, net, neverAny, false, null));
        assertTrue(e.getMessage().contains("ft: the training iterator is empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShuffledBatchIterator.autoencoder(Nd4j.create(DataType.FLOAT, 0, 5), 4, 1, true));
    }

    /** Found by the mutation pass: the options' activation check was only exercised through the layer's. */
    @Test
    void unsupportedActivationsAreRefusedByTheOptionsNamingThem() {
        var softmax = assertThrows(IllegalArgumentException.class,
                () -> LayerPretrainOptions.cae(10, 0.1).withActivation(Activation.SOFTMAX.getActivationFunction()));
        assertTrue(softmax.getMessage().contains("softmax") && softmax.getMessage().contains("supported: SIGMOID"), softmax.getMessage());
        var relu6 = assertThrows(IllegalArgumentException.class,
                () -> LayerPretrainOptions.cae(10, 0.1).withActivation(new org.nd4j.linalg.activations.impl.ActivationReLU(6.0, 0.0, 0.0)));
        assertTrue(relu6.getMessage().contains("is not supported"), relu6.getMessage());
        LayerPretrainOptions.cae(10, 0.1).withActivation(Activation.RELU.getActivationFunction());
    }

    /** Found by the mutation pass: each range check at both edges, with its message. */
    @Test
    void optionRangesAreCheckedAtTheirEdges() {
        LayerPretrainOptions ok = LayerPretrainOptions.cae(1, 0.0).withLambda(ContractiveDenseLayer.MAX_LAMBDA)
                .withCorruptionLevel(0.0).withGaussianNoise(0.0).withL2(0.0);
        assertEquals(1, ok.nOut());
        ok.withCorruptionLevel(0.999).withL2(1e-3).withGaussianNoise(1e-3);
        record Bad(java.util.function.Supplier<LayerPretrainOptions> make, String message) {
        }
        LayerPretrainOptions base = LayerPretrainOptions.cae(4, 0.1);
        List<Bad> bad = List.of(
                new Bad(() -> LayerPretrainOptions.cae(0, 0.1), "nOut must be > 0, got 0"),
                new Bad(() -> base.withLambda(-1e-9), "lambda must be in [0, 1000000.0], got -1.0E-9"),
                new Bad(() -> base.withLambda(1.0000001e6), "lambda must be in [0, 1000000.0], got 1000000.1"),
                new Bad(() -> base.withLambda(Double.NaN), "lambda must be in [0, 1000000.0], got NaN"),
                new Bad(() -> base.withCorruptionLevel(-0.01), "corruptionLevel must be in [0, 1), got -0.01"),
                new Bad(() -> base.withCorruptionLevel(1.0), "corruptionLevel must be in [0, 1), got 1.0"),
                new Bad(() -> base.withGaussianNoise(Double.POSITIVE_INFINITY), "gaussianNoise must be finite and >= 0, got Infinity"),
                new Bad(() -> base.withGaussianNoise(-1e-9), "gaussianNoise must be finite and >= 0, got -1.0E-9"),
                new Bad(() -> base.withL2(-1e-9), "l2 must be finite and >= 0, got -1.0E-9"),
                new Bad(() -> base.withL2(Double.NaN), "l2 must be finite and >= 0, got NaN"),
                new Bad(() -> base.withUpdater(null), "updater, reconstructionLoss and decoderActivation must not be null"),
                new Bad(() -> base.withReconstructionLoss(null), "updater, reconstructionLoss and decoderActivation must not be null"));
        for (Bad b : bad) {
            var e = assertThrows(IllegalArgumentException.class, b.make()::get, b.message());
            assertEquals("LayerPretrainOptions: " + b.message(), e.getMessage());
        }
    }
}

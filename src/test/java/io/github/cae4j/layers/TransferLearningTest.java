package io.github.cae4j.layers;

import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's TransferLearning on a pretrained CAE stack: fine-tuning with a new updater, a frozen feature
 * extractor whose parameters must not move by a bit, and {@code nOutReplace} on a contractive layer.
 */
@ExtendWith(DoublePrecision.class)
class TransferLearningTest {

    private MultiLayerNetwork pretrained;
    private INDArray x;
    private DataSet autoencoderData;
    private DataSet classes;

    /** CAE(6→5) → CAE(5→4) → decoder, trained a little as an autoencoder. */
    @BeforeEach
    void pretrainAStack() {
        pretrained = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(41).dataType(DataType.DOUBLE).updater(new Adam(0.02)).weightInit(WeightInit.XAVIER).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(6).nOut(5).activation(Activation.SIGMOID).lambda(0.4).build())
                .layer(new ContractiveDenseLayer.Builder().nIn(5).nOut(4).activation(Activation.TANH).lambda(0.7).build())
                .layer(new DecoderOutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).build())
                .build());
        pretrained.init();
        x = TinyNets.manifoldData(30, 6, 2, 91);
        autoencoderData = new DataSet(x, x);
        for (int i = 0; i < 20; i++) {
            pretrained.fit(autoencoderData);
        }
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 30, 3);
        for (int i = 0; i < 30; i++) {
            y.putScalar(i, x.getDouble(i, 0) > 0.5 ? 0 : x.getDouble(i, 1) > 0.5 ? 1 : 2, 1.0);
        }
        classes = new DataSet(x, y);
    }

    private static OutputLayer classifierHead() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3).activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER).build();
    }

    private static double[] values(INDArray a) {
        return a.dup('c').data().asDouble();
    }

    @Test
    void fineTuningKeepsTheContractiveLayersAndTrains() {
        MultiLayerNetwork classifier = new TransferLearning.Builder(pretrained)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(0.01)).seed(42).build())
                .removeOutputLayer()
                .addLayer(classifierHead())
                .build();
        for (int k = 0; k < 2; k++) {
            var conf = (ContractiveDenseLayer) classifier.getLayerWiseConfigurations().getConf(k).getLayer();
            assertEquals(k == 0 ? 0.4 : 0.7, conf.getLambda(), 0.0, "lambda of layer " + k);
            assertEquals(new Adam(0.01), conf.getIUpdater(), "the fine-tune updater reaches layer " + k);
            assertInstanceOf(ContractiveDenseLayerImpl.class, classifier.getLayer(k));
            assertArrayEquals(values(pretrained.getLayer(k).params()), values(classifier.getLayer(k).params()), 0.0,
                    "pretrained parameters carried over into layer " + k);
        }
        double before = classifier.score(classes);
        for (int i = 0; i < 60; i++) {
            classifier.fit(classes);
        }
        assertTrue(classifier.score(classes) < 0.8 * before, before + " -> " + classifier.score(classes));
        assertFalse(Arrays.equals(values(pretrained.getLayer(0).params()), values(classifier.getLayer(0).params())),
                "fine-tuning moves the encoders");
    }

    @Test
    void aFrozenFeatureExtractorDoesNotMoveByABit() {
        MultiLayerNetwork classifier = new TransferLearning.Builder(pretrained)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(0.01)).seed(42).build())
                .setFeatureExtractor(1)
                .removeOutputLayer()
                .addLayer(classifierHead())
                .build();
        assertInstanceOf(FrozenLayer.class, classifier.getLayer(0));
        assertInstanceOf(FrozenLayer.class, classifier.getLayer(1));
        double[] frozen0 = values(classifier.getLayer(0).params());
        double[] frozen1 = values(classifier.getLayer(1).params());
        double[] head = values(classifier.getLayer(2).params());
        double before = classifier.score(classes);
        for (int i = 0; i < 40; i++) {
            classifier.fit(classes);
        }
        assertArrayEquals(frozen0, values(classifier.getLayer(0).params()), 0.0, "frozen layer 0");
        assertArrayEquals(frozen1, values(classifier.getLayer(1).params()), 0.0, "frozen layer 1");
        assertFalse(Arrays.equals(head, values(classifier.getLayer(2).params())), "the head trains");
        assertTrue(classifier.score(classes) < before, before + " -> " + classifier.score(classes));
        assertArrayEquals(values(pretrained.getLayer(0).params()), frozen0, 0.0, "the extractor is the pretrained encoder");
    }

    @Test
    void nOutReplaceOnAContractiveLayerGivesTheNewShapeAndTrains() {
        MultiLayerNetwork wider = new TransferLearning.Builder(pretrained)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(0.02)).seed(43).build())
                .nOutReplace(0, 7, WeightInit.XAVIER)
                .build();
        var enc0 = (ContractiveDenseLayer) wider.getLayerWiseConfigurations().getConf(0).getLayer();
        var enc1 = (ContractiveDenseLayer) wider.getLayerWiseConfigurations().getConf(1).getLayer();
        assertEquals(7, enc0.getNOut());
        assertEquals(7, enc1.getNIn());
        assertArrayEquals(new long[]{6, 7}, wider.getLayer(0).getParam("W").shape());
        assertEquals(7, wider.getLayer(0).getParam("b").length());
        assertEquals(6, wider.getLayer(0).getParam("vb").length());
        assertArrayEquals(new long[]{7, 4}, wider.getLayer(1).getParam("W").shape());
        assertEquals(7, wider.getLayer(1).getParam("vb").length(), "the next CAE's visible bias follows its nIn");
        assertArrayEquals(values(pretrained.getLayer(2).params()), values(wider.getLayer(2).params()), 0.0, "decoder kept");

        double[] replaced = values(wider.getLayer(0).params());
        double before = wider.score(autoencoderData);
        for (int i = 0; i < 40; i++) {
            wider.fit(autoencoderData);
        }
        assertTrue(wider.score(autoencoderData) < before, before + " -> " + wider.score(autoencoderData));
        assertFalse(Arrays.equals(replaced, values(wider.getLayer(0).params())), "the replaced layer trains");

        MultiLayerNetwork check = new TransferLearning.Builder(wider)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new NoOp()).build()).build();
        INDArray five = x.get(NDArrayIndex.interval(0, 5), NDArrayIndex.all()).dup();
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(check).input(five).labels(five)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)),
                "gradients of the widened stack");
    }
}

package io.github.cae4j.layers;

import io.github.cae4j.testing.Exact;
import io.github.cae4j.losses.ContractiveLossFunction;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Every field survives JSON, YAML and ModelSerializer; restored models compute bit-identical outputs. */
class ContractiveSerializationTest {

    /** Every cae4j field set to a non-default value, so a field that fails to bind cannot go unnoticed. */
    static MultiLayerConfiguration nonDefaultConfiguration() {
        return new NeuralNetConfiguration.Builder()
                .seed(99).dataType(DataType.FLOAT).updater(new Adam(0.003)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ContractiveDenseLayer.Builder().name("enc").nIn(10).nOut(7).activation(Activation.TANH)
                        .lambda(0.37).hasBias(false)
                        .reconstructionLoss(new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.SQUARED_ERROR,
                                ContractiveLossFunction.Reduction.MEAN, 0.01))
                        .decoderActivation(Activation.IDENTITY).visibleBiasInit(0.2).corruptionLevel(0.15).gaussianNoise(0.05)
                        .gamma(0.8).sigma(0.25).corruptedCopies(3)
                        .l2(1e-4).biasInit(0.05).build())
                .layer(new OutputLayer.Builder(new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY,
                        ContractiveLossFunction.Reduction.MEAN, 1e-3)).nIn(7).nOut(10).activation(Activation.SIGMOID).build())
                .build();
    }

    @Test
    void jsonAndYamlRoundTripEveryField() {
        MultiLayerConfiguration conf = nonDefaultConfiguration();
        for (MultiLayerConfiguration restored : new MultiLayerConfiguration[]{
                MultiLayerConfiguration.fromJson(conf.toJson()), MultiLayerConfiguration.fromYaml(conf.toYaml())}) {
            assertEquals(conf, restored);
            ContractiveDenseLayer layer = (ContractiveDenseLayer) restored.getConf(0).getLayer();
            assertEquals(0.37, layer.getLambda(), 0.0);
            assertEquals(false, layer.hasBias());
            assertEquals(new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.SQUARED_ERROR,
                    ContractiveLossFunction.Reduction.MEAN, 0.01), layer.getReconstructionLoss());
            assertEquals(Activation.IDENTITY.getActivationFunction(), layer.getDecoderActivation());
            assertEquals(0.2, layer.getVisibleBiasInit(), 0.0);
            assertEquals(0.15, layer.getCorruptionLevel(), 0.0);
            assertEquals(0.8, layer.getGamma(), 0.0);
            assertEquals(0.25, layer.getSigma(), 0.0);
            assertEquals(3, layer.getCorruptedCopies());
            assertEquals("enc", layer.getLayerName());
            assertEquals(Activation.TANH.getActivationFunction(), layer.getActivationFn());
            assertEquals(conf.getConf(1).getLayer(), restored.getConf(1).getLayer());
        }
    }

    @Test
    void equalsSeesEveryContractiveField() {
        ContractiveDenseLayer a = new ContractiveDenseLayer.Builder().nIn(3).nOut(2).lambda(0.1).build();
        ContractiveDenseLayer b = new ContractiveDenseLayer.Builder().nIn(3).nOut(2).lambda(0.2).build();
        ContractiveDenseLayer c = new ContractiveDenseLayer.Builder().nIn(3).nOut(2).lambda(0.1).corruptionLevel(0.1).build();
        ContractiveDenseLayer d = new ContractiveDenseLayer.Builder().nIn(3).nOut(2).lambda(0.1).build();
        assertNotEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(a, d);
        assertEquals(a.hashCode(), d.hashCode());
    }

    @Test
    void modelSerializerRestoresParametersUpdaterStateAndOutputsBitForBit(@TempDir File dir) throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(nonDefaultConfiguration());
        net.init();
        DataSet ds = TinyNets.autoencoderData(16, 10, 5);
        DataSet data = new DataSet(ds.getFeatures().castTo(DataType.FLOAT), ds.getLabels().castTo(DataType.FLOAT));
        for (int i = 0; i < 5; i++) {
            net.fit(data);
        }
        File file = new File(dir, "cae.zip");
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);

        assertEquals(net.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        Exact.assertBitIdentical(net.params(), restored.params(), "parameters");
        assertEquals(net.paramTable().keySet(), restored.paramTable().keySet());
        for (String key : net.paramTable().keySet()) {
            Exact.assertBitIdentical(net.paramTable().get(key), restored.paramTable().get(key), "parameter " + key);
        }
        Exact.assertBitIdentical(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray(), "updater state");
        INDArray x = data.getFeatures();
        Exact.assertBitIdentical(net.output(x), restored.output(x), "outputs");
        assertEquals(net.score(data), restored.score(data), 0.0);

        // The layer's masking, Gaussian and CAE+H noise apply under fit(): both draw the same noise from the same seed.
        Nd4j.getRandom().setSeed(77);
        net.fit(data);
        Nd4j.getRandom().setSeed(77);
        restored.fit(data);
        Exact.assertBitIdentical(net.params(), restored.params(), "training continues identically after restore");
        Exact.assertBitIdentical(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray(),
                "updater state after one more step");
    }
}

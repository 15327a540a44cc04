package io.github.cae4j;

import io.github.cae4j.diagnostics.JacobianNorms;
import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.losses.ContractiveLossFunction;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps README's usage snippet compiling and working: the lines between the markers are README's. */
class ReadmeUsageTest {

    @Test
    void readmeSnippetTrains() {
        INDArray features = Nd4j.rand(64, 784);
        // --- README snippet ---
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ContractiveDenseLayer.Builder()          // the encoder: h = sigmoid(xW + b)
                        .nIn(784).nOut(500)
                        .activation(Activation.SIGMOID)
                        .lambda(0.1)                                  // contraction strength
                        .build())
                .layer(new OutputLayer.Builder(new ContractiveLossFunction(
                                ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY))
                        .nIn(500).nOut(784)                           // the decoder reconstructs x
                        .activation(Activation.SIGMOID)
                        .build())
                .build();
        MultiLayerNetwork cae = new MultiLayerNetwork(conf);
        cae.init();
        cae.fit(new DataSet(features, features));                    // labels = features
        double meanJ = JacobianNorms.meanFrobenius(JacobianNorms.frobeniusSquared(cae, 0, features));
        // --- end of snippet ---
        assertTrue(meanJ > 0 && Double.isFinite(cae.score()), "meanJ=" + meanJ + ", score=" + cae.score());
    }
}

package io.github.cae4j.examples.quickstart;

import io.github.cae4j.diagnostics.JacobianNorms;
import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.losses.ContractiveLossFunction;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CaeComputationGraphExample with a tiny budget on fake full-size MNIST files (no network). */
@Timeout(120)
class CaeComputationGraphExampleSmokeTest {

    @Test
    void graphCaeTrainsAndItsTransferredEncoderClassifies() throws Exception {
        var result = CaeComputationGraphExample.run(new CaeComputationGraphExample.Options(FakeMnistFiles.directory(), 400, 32, 3));

        assertTrue(result.validLossAfter() < result.validLossBefore(),
                "held-out loss " + result.validLossBefore() + " -> " + result.validLossAfter());
        ComputationGraph classifier = result.classifier();
        assertEquals(java.util.List.of("digit"), classifier.getConfiguration().getNetworkOutputs());
        assertInstanceOf(ContractiveDenseLayer.class, classifier.getLayer("encoder").conf().getLayer());
        assertEquals(10, ((OutputLayer) classifier.getLayer("digit").conf().getLayer()).getNOut());
        // fine-tuned on the cross-entropy alone: the score has no penalty term left
        DataSet batch = QuickstartMnist.test(FakeMnistFiles.directory(), 100, 100).next();
        INDArray p = classifier.outputSingle(batch.getFeatures());
        double crossEntropy = -Transforms.log(p, true).muli(batch.getLabels()).sumNumber().doubleValue() / 100;
        assertEquals(crossEntropy, classifier.score(batch), 1e-4 * crossEntropy);
        assertTrue(result.testAccuracy() > 0.5, "test accuracy " + result.testAccuracy());
    }

    /** The graph's score is the CAE objective, penalty included, as in a MultiLayerNetwork. */
    @Test
    void graphScoreIsReconstructionPlusLambdaTimesTheJacobianNorm() throws Exception {
        ComputationGraph cae = CaeComputationGraphExample.caeGraph(20, 50);
        INDArray x = QuickstartMnist.test(FakeMnistFiles.directory(), 50, 50).next().getFeatures();
        INDArray W = cae.getLayer("encoder").getParam("W");
        INDArray b = cae.getLayer("encoder").getParam("b");
        INDArray h = x.mmul(W).addiRowVector(b);
        h = Activation.SIGMOID.getActivationFunction().getActivation(h, false);
        INDArray decoderPreOutput = h.mmul(cae.getLayer("decoder").getParam("W")).addiRowVector(cae.getLayer("decoder").getParam("b"));
        double reconstruction = new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY)
                .computeScore(x, decoderPreOutput, Activation.SIGMOID.getActivationFunction(), null, true);
        double penalty = 50 * JacobianNorms.frobeniusSquared(x, W, b, Activation.SIGMOID.getActivationFunction()).meanNumber().doubleValue();

        double score = cae.score(new DataSet(x, x));

        assertTrue(penalty > 0.1 * reconstruction, "the penalty must matter for this check: " + penalty + " vs " + reconstruction);
        assertEquals(reconstruction + penalty, score, 1e-4 * score);
    }

    /** The example's comments: setFeatureExtractor("encoder") freezes the contractive encoder; the configuration is a copy. */
    @Test
    void featureExtractorFreezesTheContractiveEncoderAndTheConfigurationIsACopy() throws Exception {
        ComputationGraph cae = CaeComputationGraphExample.caeGraph(20, 0.1);
        ComputationGraph classifier = new TransferLearning.GraphBuilder(cae)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(1e-2)).build())
                .setFeatureExtractor("encoder")
                .removeVertexAndConnections("decoder")
                .addLayer("digit", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(20).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "encoder")
                .setOutputs("digit")
                .build();
        // a layer's params() is a view of the graph's parameter vector: copy it (toFloatVector) before fit changes it
        float[] encoderBefore = classifier.getLayer("encoder").params().toFloatVector();
        float[] digitBefore = classifier.getLayer("digit").params().toFloatVector();
        DataSetIterator digits = QuickstartMnist.test(FakeMnistFiles.directory(), 200, 50);

        classifier.fit(digits);

        assertArrayEquals(encoderBefore, classifier.getLayer("encoder").params().toFloatVector());
        // the example sets lambda = 0 on the classifier's encoder: TransferLearning copied the configuration
        ((ContractiveDenseLayer) classifier.getLayer("encoder").conf().getLayer()).setLambda(0);
        assertEquals(0.1, ((ContractiveDenseLayer) cae.getLayer("encoder").conf().getLayer()).getLambda());
        assertFalse(java.util.Arrays.equals(digitBefore, classifier.getLayer("digit").params().toFloatVector()));
    }
}

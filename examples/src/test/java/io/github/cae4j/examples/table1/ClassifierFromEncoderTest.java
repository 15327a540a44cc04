package io.github.cae4j.examples.table1;

import io.github.cae4j.losses.ContractiveLossFunction;
import io.github.cae4j.pretrain.ClassifierOptions;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import io.github.cae4j.pretrain.PretrainedStack;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The MLP every pretrained row fine-tunes starts from the encoder's weights and its bias. */
class ClassifierFromEncoderTest {

    @Test
    void theHiddenLayerIsTheEncoderWithItsBias() {
        Nd4j.getRandom().setSeed(3);
        INDArray W = Nd4j.randn(DataType.FLOAT, 12, 6);
        INDArray b = Nd4j.randn(DataType.FLOAT, 6).muli(2);
        PretrainedAutoencoder ae = new PretrainedAutoencoder(W, b, Activation.SIGMOID.getActivationFunction(), W.transpose().dup(),
                Nd4j.zeros(DataType.FLOAT, 12), Activation.SIGMOID.getActivationFunction(),
                new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY));
        MultiLayerNetwork net = new PretrainedStack(List.of(ae), List.of())
                .classifier(new ClassifierOptions(10, new Adam(1e-3), 0, 1, DataType.FLOAT));
        assertArrayEquals(W.dup().data().asFloat(), net.getLayer(0).getParam("W").dup().data().asFloat(), 0f);
        assertArrayEquals(b.dup().data().asFloat(), net.getLayer(0).getParam("b").dup().data().asFloat(), 0f);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 12);
        // sigmoid(xW + b), written out
        INDArray expected = Transforms.sigmoid(x.mmul(W).addRowVector(b));
        assertArrayEquals(expected.dup().data().asFloat(), net.feedForward(x, false).get(1).dup().data().asFloat(), 1e-6f);
    }
}

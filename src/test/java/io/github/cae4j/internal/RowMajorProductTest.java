package io.github.cae4j.internal;

import io.github.cae4j.testing.Exact;
import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.layers.DecoderOutputLayer;

import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Row-major products from column-major storage: the same numbers as {@code mmul}, in the order the layers need. */
class RowMajorProductTest {

    @Test
    void equalsMmulBitForBitForEveryTransposeCombination() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 7, 5);
        INDArray b = Nd4j.rand(DataType.FLOAT, 'f', 5L, 9L);
        INDArray bT = Nd4j.rand(DataType.FLOAT, 9, 5);
        INDArray aT = Nd4j.rand(DataType.FLOAT, 'f', 5L, 7L);
        check(a, false, b, false, a.mmul(b));
        check(a, false, bT, true, a.mmul(bT.transpose()));
        check(aT, true, b, false, aT.transpose().mmul(b));
        check(aT, true, bT, true, aT.transpose().mmul(bT.transpose()));
    }

    private static void check(INDArray a, boolean ta, INDArray b, boolean tb, INDArray expected) {
        INDArray storage = Nd4j.createUninitialized(DataType.FLOAT, new long[]{expected.columns(), expected.rows()}, 'f');
        INDArray product = RowMajorProduct.of(a, ta, b, tb, storage);
        assertEquals('c', product.ordering());
        assertEquals(1, product.elementWiseStride(), "a dense row-major view, not a strided one");
        Exact.assertBitIdentical(expected, product, "product (ta=" + ta + ", tb=" + tb + ")");
    }

    @Test
    void refusesRowMajorStorage() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 2, 3);
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> RowMajorProduct.of(a, false, a, true, Nd4j.create(DataType.FLOAT, 2, 2)));
        assertEquals("storage must be column-major ('f'), got 'c'", e.getMessage());
    }

    /** Mixed-order element-wise ops are ND4J's slow path; every activation a CAE step produces is row-major like its input. */
    @Test
    void aCaeStepsActivationsAreRowMajorLikeItsInput() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(6).nOut(4).activation(Activation.SIGMOID).lambda(0.2).build())
                .layer(new DecoderOutputLayer.Builder().nIn(4).nOut(6).build())
                .build());
        net.init();
        INDArray x = TinyNets.manifoldData(5, 6, 2, 3).castTo(DataType.FLOAT);
        List<INDArray> activations = net.feedForward(x, true);
        for (int i = 1; i < activations.size(); i++) {
            assertEquals('c', activations.get(i).ordering(), "activation of layer " + (i - 1));
            assertEquals(1, activations.get(i).elementWiseStride(), "activation of layer " + (i - 1));
        }
    }
}

package io.github.cae4j.examples.table1;

import io.github.cae4j.tangents.Tangents;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The finite-difference sensitivity against the closed-form directional derivative of a small sigmoid/softmax MLP. */
class TangentSensitivityTest {

    private static MultiLayerNetwork mlp(DataType dataType) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).dataType(dataType).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(4).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /** {@code mean_rows ‖(diag(p) - p pᵀ) W2ᵀ (s'(a) ⊙ u W1)‖²}, computed row by row from the weights. */
    private static double exact(MultiLayerNetwork net, INDArray x, INDArray u) {
        INDArray w1 = net.getParam("0_W"), b1 = net.getParam("0_b"), w2 = net.getParam("1_W"), b2 = net.getParam("1_b");
        double sum = 0;
        for (int r = 0; r < x.size(0); r++) {
            INDArray h = Transforms.sigmoid(x.getRow(r, true).mmul(w1).addi(b1), true);
            INDArray ds = h.mul(h.rsub(1.0));
            INDArray p = Transforms.softmax(h.mmul(w2).addi(b2), true);
            INDArray dz = ds.muli(u.getRow(r, true).mmul(w1)).mmul(w2);                       // ∂z/∂x · u, [1, 3]
            INDArray dp = p.mul(dz).subi(p.mul(p.mul(dz).sumNumber().doubleValue()));        // (diag(p) - p pᵀ) dz
            sum += dp.mul(dp).sumNumber().doubleValue();
        }
        return sum / x.size(0);
    }

    @Test
    void centralDifferencesMatchTheClosedFormPerTangentRank() {
        Nd4j.getRandom().setSeed(11);
        MultiLayerNetwork net = mlp(DataType.DOUBLE);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 7, 6);
        INDArray v = Nd4j.randn(DataType.DOUBLE, 14, 6);
        v.diviColumnVector(v.norm2(1).reshape(14, 1));
        Tangents tangents = new Tangents(Nd4j.ones(DataType.DOUBLE, 7, 2), v.reshape(7, 2, 6));

        TangentSensitivity.Result r = TangentSensitivity.of(net, x, tangents, 3);
        for (int i = 0; i < 2; i++) {
            INDArray u = tangents.vectors().get(NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all());
            double want = exact(net, x, u);
            assertEquals(want, r.perRank()[i], 1e-7 * want, "tangent rank " + (i + 1));
        }
        assertEquals((r.perRank()[0] + r.perRank()[1]) / 2 / r.random(), r.tangentsOverRandom(), 1e-12);
        // the random directions are unit vectors: the same value as the closed form along them
        Nd4j.getRandom().setSeed(3);
        INDArray random = Nd4j.randn(DataType.DOUBLE, 7, 6);
        random.diviColumnVector(random.norm2(1).reshape(7, 1));
        assertEquals(exact(net, x, random), r.random(), 1e-7 * r.random());
        // a FLOAT network is measured on a double copy: the same value
        MultiLayerNetwork single = mlp(DataType.FLOAT);
        single.setParams(net.params().castTo(DataType.FLOAT));
        assertEquals(r.perRank()[0], TangentSensitivity.of(single, x.castTo(DataType.FLOAT), tangents, 3).perRank()[0], 1e-5 * r.perRank()[0]);
    }

    @Test
    void tangentsOfOtherInputsAreRefused() {
        MultiLayerNetwork net = mlp(DataType.DOUBLE);
        Tangents fiveWide = new Tangents(Nd4j.ones(DataType.DOUBLE, 7, 1), Nd4j.ones(DataType.DOUBLE, 7, 1, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TangentSensitivity.of(net, Nd4j.rand(DataType.DOUBLE, 7, 6), fiveWide, 1));
        assertEquals("TangentSensitivity: 7 tangent sets of width 5 for inputs [7, 6]", e.getMessage());
    }
}

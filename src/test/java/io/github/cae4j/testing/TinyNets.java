package io.github.cae4j.testing;

import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.losses.ContractiveLossFunction;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Small seeded networks and data for tests. */
public final class TinyNets {

    private TinyNets() {
    }

    /** Reconstruction loss the tiny autoencoders use: summed binary cross-entropy on a sigmoid decoder. */
    public static ContractiveLossFunction bce() {
        return new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY,
                ContractiveLossFunction.Reduction.SUM, 0.0);
    }

    /** Encoder {@code ContractiveDenseLayer(nIn→nHidden)} + sigmoid decoder with {@link #bce()}. */
    public static MultiLayerNetwork autoencoder(int nIn, int nHidden, Activation activation, double lambda,
                                                IUpdater updater, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.DOUBLE).updater(updater).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ContractiveDenseLayer.Builder().nIn(nIn).nOut(nHidden).activation(activation).lambda(lambda).build())
                .layer(new OutputLayer.Builder(bce()).nIn(nHidden).nOut(nIn).activation(Activation.SIGMOID).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** For gradient checks: NoOp updater. */
    public static MultiLayerNetwork autoencoder(int nIn, int nHidden, Activation activation, double lambda) {
        return autoencoder(nIn, nHidden, activation, lambda, new NoOp(), 12345);
    }

    /** {@code DenseLayer(tanh) → ContractiveDenseLayer(activation, λ) → sigmoid output}: the CAE sits in the middle. */
    public static MultiLayerNetwork stack(int nIn, int nHidden1, int nHidden2, Activation activation, double lambda) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(nIn).nOut(nHidden1).activation(Activation.TANH).build())
                .layer(new ContractiveDenseLayer.Builder().nIn(nHidden1).nOut(nHidden2).activation(activation).lambda(lambda).build())
                .layer(new OutputLayer.Builder(bce()).nIn(nHidden2).nOut(nIn).activation(Activation.SIGMOID).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * Seeded data in (0, 1) that lies near a {@code latent}-dimensional curved manifold, the setting a
     * CAE is meant for: {@code x = sigmoid(tanh(u A) B + noise)}.
     */
    public static INDArray manifoldData(int m, int nIn, int latent, long seed) {
        var rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        INDArray u = Nd4j.randn(new long[]{m, latent}, rng).castTo(DataType.DOUBLE);
        INDArray a = Nd4j.randn(new long[]{latent, latent}, rng).castTo(DataType.DOUBLE);
        INDArray b = Nd4j.randn(new long[]{latent, nIn}, rng).castTo(DataType.DOUBLE).muli(1.5);
        INDArray noise = Nd4j.randn(new long[]{m, nIn}, rng).castTo(DataType.DOUBLE).muli(0.05);
        return Transforms.sigmoid(Transforms.tanh(u.mmul(a), false).mmul(b).addi(noise), false);
    }

    /** Autoencoder data set: labels are the features. */
    public static DataSet autoencoderData(int m, int nIn, long seed) {
        INDArray x = manifoldData(m, nIn, 2, seed);
        return new DataSet(x, x.dup());
    }
}

package io.github.cae4j.examples;

import io.github.cae4j.diagnostics.JacobianNorms;
import io.github.cae4j.losses.ContractiveLossFunction;
import io.github.cae4j.pretrain.LayerReport;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import io.github.cae4j.training.EarlyStoppingProgressLogger;
import io.github.cae4j.training.EarlyStoppingRun;
import io.github.cae4j.training.ShuffledBatchIterator;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.ScoreCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.termination.ScoreImprovementEpochTerminationCondition;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.AutoEncoder;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The comparisons' baselines, shared by the semi-supervised example and the Table 1 reproduction:
 * an MLP from random initialisation, and DL4J's built-in {@code AutoEncoder} pretrained as a user
 * would, with DL4J's own pieces.
 */
public final class Baselines {

    static final int N_CLASSES = 10;

    private Baselines() {
    }

    /** A sigmoid (or other) MLP nIn-hidden-...-10 from Xavier initialisation, softmax output. */
    public static MultiLayerNetwork randomMlp(long nIn, int hidden, int hiddenLayers, Activation activation, IUpdater updater,
                                              long seed) {
        return randomMlp(nIn, hidden, hiddenLayers, activation, updater, 0, seed);
    }

    /** The same with DL4J weight decay {@code l2} on every layer's weights (penalty {@code l2/2 ΣW²}). */
    public static MultiLayerNetwork randomMlp(long nIn, int hidden, int hiddenLayers, Activation activation, IUpdater updater,
                                              double l2, long seed) {
        var list = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(updater).weightInit(WeightInit.XAVIER).l2(l2).list();
        long in = nIn;
        for (int k = 0; k < hiddenLayers; k++) {
            list.layer(new DenseLayer.Builder().nIn(in).nOut(hidden).activation(activation).build());
            in = hidden;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(N_CLASSES)
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** The first layer of a (random) classifier as an encoder with a tied decoder, for the diagnostics. */
    public static PretrainedAutoencoder firstLayerAsEncoder(MultiLayerNetwork net) {
        var layer = net.getLayer(0);
        var conf = (org.deeplearning4j.nn.conf.layers.BaseLayer) layer.conf().getLayer();
        INDArray W = layer.getParam("W").dup();
        return new PretrainedAutoencoder(W, layer.getParam("b").dup(), conf.getActivationFn(), W.transpose().dup(),
                Nd4j.zeros(W.dataType(), W.size(0)), Activation.SIGMOID.getActivationFunction(),
                new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY));
    }

    /** DL4J's AutoEncoder after pretraining: its encoder, and what pretraining measured. */
    public record Dl4jAutoEncoder(PretrainedAutoencoder autoencoder, LayerReport report, EarlyStoppingRun run) {
    }

    /**
     * DL4J 1.0.0-M2.1's built-in {@code AutoEncoder} (sigmoid, tied), pretrained with early stopping
     * on the cross-entropy per digit of its tied reconstruction of the held-out digits, the unit of
     * the other rows' curves (it has no penalty). Its gradient has the wrong sign in that version, so
     * this shows what a user of it gets: the held-out reconstruction rises.
     */
    public static Dl4jAutoEncoder pretrainDl4jAutoEncoder(INDArray train, INDArray heldOut, int hidden, IUpdater updater,
                                                          int batch, int maxEpochs, int patience, long seed) {
        long start = System.nanoTime();
        long nIn = train.size(1);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .updater(updater).weightInit(WeightInit.XAVIER).list()
                .layer(new AutoEncoder.Builder().nIn(nIn).nOut(hidden).activation(Activation.SIGMOID).build())
                .build());
        net.init();
        EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(maxEpochs),
                        new ScoreImprovementEpochTerminationCondition(patience))
                .scoreCalculator(new TiedReconstructionScore(heldOut))
                .modelSaver(new InMemoryModelSaver<>()).evaluateEveryNEpochs(1).build();
        String name = "pretrain DL4J AutoEncoder (" + nIn + "->" + hidden + ")";
        EarlyStoppingRun run = EarlyStoppingRun.run(name, es, net, ShuffledBatchIterator.autoencoder(train, batch, seed, true), true,
                new EarlyStoppingProgressLogger(name, maxEpochs, true));
        PretrainedAutoencoder ae = tiedSigmoid(run.best().getLayer(0));
        LayerReport report = new LayerReport(0, nIn, hidden, 0, 0, 0, ae.reconstructionError(heldOut),
                JacobianNorms.meanFrobenius(ae.jacobianFrobeniusSquared(heldOut)), run.epochs(), run.bestEpoch(),
                (System.nanoTime() - start) / 1e9, run.scoreVsEpoch());
        return new Dl4jAutoEncoder(ae, report, run);
    }

    /** DL4J's AutoEncoder layer as the tied sigmoid autoencoder it is (decoder W^T, visible bias vb), detached copies. */
    private static PretrainedAutoencoder tiedSigmoid(org.deeplearning4j.nn.api.Layer layer) {
        INDArray W = layer.getParam("W").dup();
        return new PretrainedAutoencoder(W, layer.getParam("b").dup(), Activation.SIGMOID.getActivationFunction(),
                W.transpose().dup(), layer.getParam("vb").dup(), Activation.SIGMOID.getActivationFunction(),
                new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY));
    }

    /** Held-out cross-entropy per digit of a DL4J AutoEncoder's tied reconstruction. */
    private static final class TiedReconstructionScore implements ScoreCalculator<MultiLayerNetwork> {
        private final transient INDArray heldOut;

        TiedReconstructionScore(INDArray heldOut) {
            this.heldOut = heldOut;
        }

        @Override
        public double calculateScore(MultiLayerNetwork network) {
            return tiedSigmoid(network.getLayer(0)).reconstructionError(heldOut);
        }

        @Override
        public boolean minimizeScore() {
            return true;
        }
    }
}

package io.github.cae4j.spark;

import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.layers.DecoderOutputLayer;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The networks Spark trains, built from the library's {@link LayerPretrainOptions}: a
 * {@link ContractiveDenseLayer} encoder and a {@link DecoderOutputLayer} decoder, fitted with labels =
 * features.
 *
 * <p>Only untied autoencoders: DL4J's Spark workers call {@code fit}, never the layer-wise
 * {@code pretrain} path through which a tied CAE (the encoder alone, decoding with Wᵀ) trains, and
 * masking or Gaussian input noise live in that tied path too. Such options are refused here, before any
 * Spark job starts, rather than trained as something else.
 */
public final class Autoencoders {

    private Autoencoders() {
    }

    /** @throws IllegalArgumentException when {@code opts} asks for tied weights (or input noise, which needs them), or nIn is not positive */
    public static MultiLayerNetwork network(LayerPretrainOptions opts, long nIn, long seed, DataType dataType) {
        requireSparkTrainable(opts);
        if (nIn <= 0) {
            throw new IllegalArgumentException("nIn must be > 0, got " + nIn);
        }
        var encoder = new ContractiveDenseLayer.Builder().nIn(nIn).nOut(opts.nOut()).activation(opts.activation())
                .lambda(opts.lambda()).l2(opts.l2()).build();
        var decoder = new DecoderOutputLayer.Builder(opts.reconstructionLoss()).nIn(opts.nOut()).nOut(nIn)
                .activation(opts.decoderActivation()).l2(opts.l2()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed).dataType(dataType)
                .updater(opts.updater()).weightInit(WeightInit.XAVIER).list().layer(encoder).layer(decoder).build());
        net.init();
        return net;
    }

    /** The trained encoder and decoder of a {@link #network}, in the library's form (for stacking and the classifier). */
    public static PretrainedAutoencoder extract(MultiLayerNetwork net, LayerPretrainOptions opts) {
        return new PretrainedAutoencoder(
                net.getLayer(0).getParam(DefaultParamInitializer.WEIGHT_KEY).dup(),
                net.getLayer(0).getParam(DefaultParamInitializer.BIAS_KEY).dup(), opts.activation(),
                net.getLayer(1).getParam(DefaultParamInitializer.WEIGHT_KEY).dup(),
                net.getLayer(1).getParam(DefaultParamInitializer.BIAS_KEY).dup(), opts.decoderActivation(),
                opts.reconstructionLoss());
    }

    static void requireSparkTrainable(LayerPretrainOptions opts) {
        // LayerPretrainOptions already refuses input noise without tied weights, so this covers noise too
        if (opts.tiedWeights()) {
            throw new IllegalArgumentException("LayerPretrainOptions: tiedWeights = true cannot train on Spark (dl4j-spark's workers "
                    + "call fit(), not the layer-wise pretrain() a tied CAE and input noise need); use withTiedWeights(false)"
                    + (opts.corruptionLevel() > 0 || opts.gaussianNoise() > 0 ? " and no input noise (corruptionLevel "
                    + opts.corruptionLevel() + ", gaussianNoise " + opts.gaussianNoise() + ")" : ""));
        }
    }
}

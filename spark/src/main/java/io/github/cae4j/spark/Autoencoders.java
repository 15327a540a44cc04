package io.github.cae4j.spark;

import io.github.cae4j.pretrain.AutoencoderNetworks;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The networks Spark trains: the library's own {@link AutoencoderNetworks} (a {@code ContractiveDenseLayer}
 * encoder and a {@code DecoderOutputLayer} decoder, fitted with labels = features), so λ, input noise,
 * the CAE+H term and weight decay train on the executors as they do in one JVM.
 *
 * <p>Only untied autoencoders: DL4J's Spark workers call {@code fit}, never the layer-wise
 * {@code pretrain} path through which a tied CAE (the encoder alone, decoding with Wᵀ) trains. Tied
 * options are refused here, before any Spark job starts, rather than trained as something else.
 */
public final class Autoencoders {

    private Autoencoders() {
    }

    /** @throws IllegalArgumentException when {@code opts} asks for tied weights, or nIn is not positive */
    public static MultiLayerNetwork network(LayerPretrainOptions opts, long nIn, long seed, DataType dataType) {
        requireSparkTrainable(opts);
        return AutoencoderNetworks.network(opts, nIn, seed, dataType);
    }

    /** The trained encoder and decoder of a {@link #network}, in the library's form (for stacking and the classifier). */
    public static PretrainedAutoencoder extract(MultiLayerNetwork net, LayerPretrainOptions opts) {
        return AutoencoderNetworks.extract(net, opts);
    }

    static void requireSparkTrainable(LayerPretrainOptions opts) {
        if (opts.tiedWeights()) {
            throw new IllegalArgumentException("LayerPretrainOptions: tiedWeights = true cannot train on Spark (dl4j-spark's workers "
                    + "call fit(), not the layer-wise pretrain() a tied CAE needs); use withTiedWeights(false)");
        }
    }
}

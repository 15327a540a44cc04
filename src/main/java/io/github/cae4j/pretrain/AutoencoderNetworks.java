package io.github.cae4j.pretrain;

import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.layers.DecoderOutputLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static io.github.cae4j.layers.ContractiveParamInitializer.BIAS_KEY;
import static io.github.cae4j.layers.ContractiveParamInitializer.VISIBLE_BIAS_KEY;
import static io.github.cae4j.layers.ContractiveParamInitializer.WEIGHT_KEY;

/**
 * The DL4J network that pretrains one autoencoder of a stack, built from its {@link LayerPretrainOptions},
 * and the trained autoencoder read back from it. {@link GreedyLayerwisePretrainer} trains these networks
 * with DL4J's early stopping; a caller with its own training loop (Spark's workers, a custom schedule)
 * builds them here so that every option (λ, input noise, the CAE+H term, weight decay) reaches the layer
 * the same way.
 *
 * <p>Tied: the {@link ContractiveDenseLayer} alone, which decodes with Wᵀ and trains through DL4J's
 * layer-wise {@code pretrain()}. Untied: that encoder and a {@link DecoderOutputLayer}, trained with
 * {@code fit()} and labels = features; input noise and the CAE+H term act under {@code fit()} too.
 */
public final class AutoencoderNetworks {

    private AutoencoderNetworks() {
    }

    /**
     * An initialised network (Xavier weights, {@code opts.updater()}) for inputs of width {@code nIn}.
     *
     * @throws IllegalArgumentException when nIn is not positive or dataType is not a floating-point type
     */
    public static MultiLayerNetwork network(LayerPretrainOptions opts, long nIn, long seed, DataType dataType) {
        if (opts == null) {
            throw new IllegalArgumentException("AutoencoderNetworks: options must not be null");
        }
        if (nIn <= 0) {
            throw new IllegalArgumentException("AutoencoderNetworks: nIn must be > 0, got " + nIn);
        }
        if (dataType == null || !dataType.isFPType()) {
            throw new IllegalArgumentException("AutoencoderNetworks: dataType must be a floating-point type, got " + dataType);
        }
        var encoder = new ContractiveDenseLayer.Builder().nIn(nIn).nOut(opts.nOut()).activation(opts.activation())
                .lambda(opts.lambda()).corruptionLevel(opts.corruptionLevel()).gaussianNoise(opts.gaussianNoise())
                .higherOrder(opts.gamma(), opts.sigma(), opts.corruptedCopies())
                .reconstructionLoss(opts.reconstructionLoss()).decoderActivation(opts.decoderActivation())
                .l2(opts.l2()).build();
        var list = new NeuralNetConfiguration.Builder().seed(seed).dataType(dataType).updater(opts.updater())
                .weightInit(WeightInit.XAVIER).list().layer(encoder);
        if (!opts.tiedWeights()) {
            list.layer(new DecoderOutputLayer.Builder(opts.reconstructionLoss()).nIn(opts.nOut()).nOut(nIn)
                    .activation(opts.decoderActivation()).l2(opts.l2()).build());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** The trained encoder and decoder of a {@link #network} built from the same options, copied out of it. */
    public static PretrainedAutoencoder extract(MultiLayerNetwork net, LayerPretrainOptions opts) {
        int expectedLayers = opts.tiedWeights() ? 1 : 2;
        if (net.getnLayers() != expectedLayers) {
            throw new IllegalArgumentException("AutoencoderNetworks: a " + (opts.tiedWeights() ? "tied" : "untied")
                    + " autoencoder's network has " + expectedLayers + " layer(s), got " + net.getnLayers());
        }
        Layer encoder = net.getLayer(0);
        INDArray W = encoder.getParam(WEIGHT_KEY).dup();
        INDArray b = encoder.getParam(BIAS_KEY).dup();
        INDArray decoderW;
        INDArray decoderB;
        if (opts.tiedWeights()) {
            decoderW = W.transpose().dup();
            decoderB = encoder.getParam(VISIBLE_BIAS_KEY).dup();
        } else {
            decoderW = net.getLayer(1).getParam(WEIGHT_KEY).dup();
            decoderB = net.getLayer(1).getParam(BIAS_KEY).dup();
        }
        return new PretrainedAutoencoder(W, b, opts.activation(), decoderW, decoderB, opts.decoderActivation(),
                opts.reconstructionLoss());
    }
}

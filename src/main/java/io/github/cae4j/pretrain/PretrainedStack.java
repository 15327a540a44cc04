package io.github.cae4j.pretrain;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

/**
 * A pretrained stack: the autoencoders bottom first, and what pretraining measured.
 */
public record PretrainedStack(List<PretrainedAutoencoder> autoencoders, List<LayerReport> reports) {

    /** @throws IllegalArgumentException when the stack is empty or layer k's nOut is not layer k+1's nIn */
    public PretrainedStack {
        if (autoencoders == null || autoencoders.isEmpty()) {
            throw new IllegalArgumentException("PretrainedStack: at least one autoencoder is required");
        }
        for (int k = 0; k + 1 < autoencoders.size(); k++) {
            if (autoencoders.get(k).nOut() != autoencoders.get(k + 1).nIn()) {
                throw new IllegalArgumentException("PretrainedStack: autoencoder " + k + " outputs " + autoencoders.get(k).nOut()
                        + " units but autoencoder " + (k + 1) + " takes nIn = " + autoencoders.get(k + 1).nIn());
            }
        }
        autoencoders = List.copyOf(autoencoders);
        reports = List.copyOf(reports);
    }

    /** Top-level representation of {@code x}. */
    public INDArray encode(INDArray x) {
        INDArray h = x;
        for (PretrainedAutoencoder ae : autoencoders) {
            h = ae.encode(h);
        }
        return h;
    }

    /**
     * An MLP classifier whose hidden layers are plain {@code DenseLayer}s initialised with the
     * pretrained encoders (W, b, activation) and whose softmax output layer is new (Xavier init),
     * ready for supervised {@code fit}. The contractive penalty is not kept: as in the paper,
     * fine-tuning optimises the classification loss only.
     */
    public MultiLayerNetwork classifier(ClassifierOptions options) {
        var list = new NeuralNetConfiguration.Builder().seed(options.seed()).dataType(options.dataType())
                .updater(options.updater()).weightInit(WeightInit.XAVIER).l2(options.l2()).list();
        for (PretrainedAutoencoder ae : autoencoders) {
            list.layer(new DenseLayer.Builder().nIn(ae.nIn()).nOut(ae.nOut()).activation(ae.activation()).build());
        }
        long top = autoencoders.get(autoencoders.size() - 1).nOut();
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(top).nOut(options.nClasses())
                .activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        for (int k = 0; k < autoencoders.size(); k++) {
            PretrainedAutoencoder ae = autoencoders.get(k);
            net.getLayer(k).setParam(DefaultParamInitializer.WEIGHT_KEY, ae.W());
            net.getLayer(k).setParam(DefaultParamInitializer.BIAS_KEY, ae.b());
        }
        return net;
    }
}

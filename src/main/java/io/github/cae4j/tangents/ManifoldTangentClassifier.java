package io.github.cae4j.tangents;

import io.github.cae4j.layers.TangentPropDenseLayer;
import io.github.cae4j.layers.TangentPropOutputLayer;
import io.github.cae4j.pretrain.ClassifierOptions;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import io.github.cae4j.pretrain.PretrainedStack;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import io.github.cae4j.layers.TangentPropOutputLayerImpl;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

import static org.deeplearning4j.nn.params.DefaultParamInitializer.BIAS_KEY;
import static org.deeplearning4j.nn.params.DefaultParamInitializer.WEIGHT_KEY;

/**
 * The Manifold Tangent Classifier (Rifai, Dauphin, Vincent, Bengio, Muller, NIPS 2011): an MLP
 * initialised from a pretrained CAE (or CAE+H) stack and fine-tuned with cross-entropy plus the
 * tangent-propagation penalty {@code β Σ_x Σ_{u ∈ B_x} ‖∂o(x)/∂x · u‖²}, B_x the leading singular
 * vectors of the stack's Jacobian at x ({@link ManifoldTangents}).
 *
 * <pre>
 *   ManifoldTangents mt = ManifoldTangents.of(stack, TangentOptions.of(k));
 *   ManifoldTangentClassifier mtc = ManifoldTangentClassifier.fromPretrained(stack, k, beta, options);
 *   DataSetIterator train = new TangentAppendingIterator(x, y, mt.compute(x), 100, seed, true);
 *   mtc.network().fit(train, epochs);           // or DL4J's EarlyStoppingTrainer, listeners, ...
 *   MultiLayerNetwork plain = mtc.toPlainNetwork();   // DenseLayer/OutputLayer MLP for inference
 * </pre>
 * The network predicts from plain features as well ({@code network().output(x)}); the tangents matter
 * only for training.
 */
public final class ManifoldTangentClassifier {

    private final MultiLayerNetwork network;
    private final int tangents;

    private ManifoldTangentClassifier(MultiLayerNetwork network, int tangents) {
        this.network = network;
        this.tangents = tangents;
    }

    /**
     * Hidden layers {@link TangentPropDenseLayer} with the stack's encoder parameters and activations,
     * a new softmax {@link TangentPropOutputLayer} (Xavier init, seeded by {@code options.seed()}).
     *
     * @param k    tangents per example, >= 1 (as many as the iterator appends)
     * @param beta penalty weight, in (0, {@value TangentPropOutputLayer#MAX_BETA}]
     * @throws IllegalArgumentException naming the bad value (from the layers' validation)
     */
    public static ManifoldTangentClassifier fromPretrained(PretrainedStack stack, int k, double beta, ClassifierOptions options) {
        if (stack == null || options == null) {
            throw new IllegalArgumentException("ManifoldTangentClassifier: stack and options must not be null");
        }
        var list = new NeuralNetConfiguration.Builder().seed(options.seed()).dataType(options.dataType())
                .updater(options.updater()).weightInit(WeightInit.XAVIER).l2(options.l2()).list();
        for (PretrainedAutoencoder ae : stack.autoencoders()) {
            list.layer(new TangentPropDenseLayer.Builder().nIn(ae.nIn()).nOut(ae.nOut()).activation(ae.activation())
                    .tangents(k).build());
        }
        long top = stack.autoencoders().get(stack.autoencoders().size() - 1).nOut();
        list.layer(new TangentPropOutputLayer.Builder().nIn(top).nOut(options.nClasses()).tangents(k).beta(beta).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        for (int l = 0; l < stack.autoencoders().size(); l++) {
            PretrainedAutoencoder ae = stack.autoencoders().get(l);
            net.getLayer(l).setParam(WEIGHT_KEY, ae.W());
            net.getLayer(l).setParam(BIAS_KEY, ae.b());
        }
        return new ManifoldTangentClassifier(net, k);
    }

    /** Wraps a network built by hand from {@link TangentPropDenseLayer}s and a {@link TangentPropOutputLayer}. */
    public static ManifoldTangentClassifier of(MultiLayerNetwork network) {
        int n = network.getnLayers();
        if (!(network.getLayer(n - 1).conf().getLayer() instanceof TangentPropOutputLayer out)) {
            throw new IllegalArgumentException("ManifoldTangentClassifier: the last layer must be a TangentPropOutputLayer, got "
                    + network.getLayer(n - 1).conf().getLayer().getClass().getSimpleName());
        }
        for (int l = 0; l < n - 1; l++) {
            if (!(network.getLayer(l).conf().getLayer() instanceof TangentPropDenseLayer d) || d.getTangents() != out.getTangents()) {
                throw new IllegalArgumentException("ManifoldTangentClassifier: layer " + l + " must be a TangentPropDenseLayer with tangents("
                        + out.getTangents() + "), got " + network.getLayer(l).conf().getLayer());
            }
        }
        return new ManifoldTangentClassifier(network, out.getTangents());
    }

    /** The DL4J network to {@code fit} on a {@link TangentAppendingIterator} with the same k. */
    public MultiLayerNetwork network() {
        return network;
    }

    /** Tangents per example k the layers expect. */
    public int tangents() {
        return tangents;
    }

    /**
     * The mean over the rows of {@code features} of the penalty {@code β Σ_i ‖∂p/∂x · u_i‖²} at the
     * current parameters: how much the outputs still move along the tangents. A diagnostic; training
     * computes it inside the output layer.
     *
     * @param features {@code [n, d]}
     * @param tangents the tangents of these rows, k as the layers expect
     */
    public double meanTangentPenalty(INDArray features, Tangents tangents) {
        if (tangents.k() != this.tangents || tangents.size() != features.size(0)) {
            throw new IllegalArgumentException("ManifoldTangentClassifier: expected the k = " + this.tangents + " tangents of the "
                    + features.size(0) + " feature rows, got k = " + tangents.k() + " for " + tangents.size() + " rows");
        }
        INDArray input = Nd4j.hstack(features, tangents.flattened().castTo(features.dataType()));
        List<INDArray> activations = network.feedForward(input, false);
        TangentPropOutputLayerImpl out = (TangentPropOutputLayerImpl) network.getOutputLayer();
        out.setInput(activations.get(network.getnLayers() - 1), LayerWorkspaceMgr.noWorkspaces());
        double mean = out.tangentPenalty().meanNumber().doubleValue();
        out.clear();
        return mean;
    }

    /**
     * An ordinary MLP (DL4J {@code DenseLayer}s and a softmax {@code OutputLayer} with MCXENT) with copies
     * of the current parameters: the same predictions on plain features, no dependency on tangents.
     */
    public MultiLayerNetwork toPlainNetwork() {
        var conf = network.getLayerWiseConfigurations();
        var list = new NeuralNetConfiguration.Builder().seed(conf.getConf(0).getSeed()).dataType(conf.getDataType()).list();
        int n = network.getnLayers();
        for (int l = 0; l < n - 1; l++) {
            TangentPropDenseLayer d = (TangentPropDenseLayer) network.getLayer(l).conf().getLayer();
            list.layer(new DenseLayer.Builder().nIn(d.getNIn()).nOut(d.getNOut()).activation(d.getActivationFn()).build());
        }
        TangentPropOutputLayer out = (TangentPropOutputLayer) network.getLayer(n - 1).conf().getLayer();
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(out.getNIn()).nOut(out.getNOut())
                .activation(out.getActivationFn()).build());
        MultiLayerNetwork plain = new MultiLayerNetwork(list.build());
        plain.init();
        for (int l = 0; l < n; l++) {
            plain.getLayer(l).setParam(WEIGHT_KEY, network.getLayer(l).getParam(WEIGHT_KEY).dup());
            plain.getLayer(l).setParam(BIAS_KEY, network.getLayer(l).getParam(BIAS_KEY).dup());
        }
        return plain;
    }
}

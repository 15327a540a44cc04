package io.github.cae4j.bench;

import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.layers.DecoderOutputLayer;
import io.github.cae4j.layers.TangentPropDenseLayer;
import io.github.cae4j.layers.TangentPropOutputLayer;
import io.github.cae4j.losses.ContractiveLossFunction;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.function.Function;

/**
 * The bench's headline cases for {@link VersionAb}, loaded once per library build (so it refers only to
 * cae4j's public API and to nothing else of this package): d=784, h=1000, batch 128; {@code gemm} (the
 * five products), {@code cae}, {@code plain}, {@code cae-tied} (pretraining step), {@code cae-output}
 * ({@code output()}); {@code mlp} and {@code mtc-k<k>}, a fine-tuning step of the MTC paper's 784-1000-1000-10
 * classifier without and with k tangents.
 */
public final class VersionCase implements Function<String, Runnable> {

    @Override
    public Runnable apply(String name) {
        int d = 784;
        int h = 1000;
        int b = 128;
        Nd4j.getRandom().setSeed(42);
        INDArray x = Nd4j.rand(DataType.FLOAT, b, d);
        if (name.equals("gemm")) {
            INDArray w = Nd4j.rand(DataType.FLOAT, d, h);
            INDArray w2 = Nd4j.rand(DataType.FLOAT, h, d);
            INDArray hh = Nd4j.create(DataType.FLOAT, new long[]{b, h}, 'f');
            INDArray xh = Nd4j.create(DataType.FLOAT, new long[]{b, d}, 'f');
            INDArray d2 = Nd4j.rand(DataType.FLOAT, b, d);
            INDArray g2 = Nd4j.create(DataType.FLOAT, new long[]{h, d}, 'f');
            INDArray dh = Nd4j.create(DataType.FLOAT, new long[]{b, h}, 'f');
            INDArray g = Nd4j.create(DataType.FLOAT, new long[]{d, h}, 'f');
            return () -> {
                x.mmuli(w, hh);
                hh.mmuli(w2, xh);
                Nd4j.gemm(hh, d2, g2, true, false, 1.0, 0.0);
                Nd4j.gemm(d2, w2, dh, false, true, 1.0, 0.0);
                Nd4j.gemm(x, dh, g, true, false, 1.0, 0.0);
            };
        }
        if (name.equals("mlp") || name.startsWith("mtc-k")) {
            return classifierStep(name, x);
        }
        ContractiveLossFunction bce = new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY);
        Layer encoder = name.equals("plain")
                ? new DenseLayer.Builder().nIn(d).nOut(h).activation(Activation.SIGMOID).build()
                : new ContractiveDenseLayer.Builder().nIn(d).nOut(h).activation(Activation.SIGMOID).lambda(0.1).build();
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new Sgd(1e-3)).weightInit(WeightInit.XAVIER).list().layer(encoder);
        if (!name.equals("cae-tied")) {
            list.layer(new DecoderOutputLayer.Builder(bce).nIn(h).nOut(d).activation(Activation.SIGMOID).build());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        switch (name) {
            case "cae", "plain":
                return () -> net.fit(x, x);
            case "cae-tied":
                return () -> net.pretrainLayer(0, x);
            case "cae-output":
                return () -> net.output(x);
            default:
                throw new IllegalArgumentException("case must be gemm, cae, plain, cae-tied, cae-output, mlp or mtc-k<k>, got '" + name + "'");
        }
    }

    /**
     * The MTC paper's classifier, 784-1000-1000-10 sigmoid, batch 128: {@code mlp} a plain fine-tuning step
     * (DL4J's DenseLayer and OutputLayer), {@code mtc-k<k>} a tangent-propagation step with k random tangents.
     */
    private static Runnable classifierStep(String name, INDArray x) {
        int k = name.equals("mlp") ? 0 : Integer.parseInt(name.substring("mtc-k".length()));
        int classes = 10;
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new Sgd(1e-3)).weightInit(WeightInit.XAVIER).list();
        int[] sizes = {x.columns(), 1000, 1000};
        for (int l = 0; l + 1 < sizes.length; l++) {
            list.layer(k == 0
                    ? new DenseLayer.Builder().nIn(sizes[l]).nOut(sizes[l + 1]).activation(Activation.SIGMOID).build()
                    : new TangentPropDenseLayer.Builder().nIn(sizes[l]).nOut(sizes[l + 1]).activation(Activation.SIGMOID).tangents(k).build());
        }
        list.layer(k == 0
                ? new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(1000).nOut(classes).activation(Activation.SOFTMAX).build()
                : new TangentPropOutputLayer.Builder().nIn(1000).nOut(classes).tangents(k).beta(1.0).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        INDArray labels = Nd4j.zeros(DataType.FLOAT, x.rows(), classes);
        for (int i = 0; i < x.rows(); i++) {
            labels.putScalar(i, i % classes, 1.0);
        }
        INDArray features = k == 0 ? x : Nd4j.hstack(x, Nd4j.randn(DataType.FLOAT, x.rows(), (long) k * x.columns()));
        return () -> net.fit(features, labels);
    }
}

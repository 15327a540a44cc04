package io.github.cae4j.bench;

import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.layers.DecoderOutputLayer;
import io.github.cae4j.losses.ContractiveLossFunction;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.function.Function;

/**
 * The bench's headline cases for {@link VersionAb}, loaded once per library build (so it refers only to
 * cae4j's public API and to nothing else of this package): d=784, h=1000, batch 128; {@code gemm} (the
 * five products), {@code cae}, {@code plain}, {@code cae-tied} (pretraining step), {@code cae-output}
 * ({@code output()}).
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
                throw new IllegalArgumentException("case must be gemm, cae, plain, cae-tied or cae-output, got '" + name + "'");
        }
    }
}

package io.github.cae4j.bench;

import io.github.cae4j.diagnostics.JacobianNorms;
import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.layers.DecoderOutputLayer;
import io.github.cae4j.losses.ContractiveLossFunction;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.AutoEncoder;
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

/**
 * The benchmark's cases, all on the same data: a sigmoid d-h-d autoencoder with a cross-entropy
 * decoder, trained with plain SGD so that only the step's own work is timed.
 */
final class AutoencoderCases {

    static final double LAMBDA = 0.1;
    /** CAE+H strength and noise; the step's cost does not depend on them, only on the number of copies. */
    static final double GAMMA = 0.1;
    static final double SIGMA = 0.1;
    private static final double LEARNING_RATE = 1e-3;

    private AutoencoderCases() {
    }

    /** {@code ContractiveDenseLayer} encoder, lambda > 0, cae4j's {@code DecoderOutputLayer} decoder. */
    static BenchCase cae(Shape s, INDArray x) {
        return fitStep("cae", s, x, caeEncoder(s), decoder(s));
    }

    /** As {@code cae}, with the higher-order term (CAE+H) on: {@code copies} noisy copies per example. */
    static BenchCase caeH(Shape s, INDArray x, int copies) {
        return fitStep("cae-h", s, x, caeHEncoder(s, copies), decoder(s), s.higherOrderStepFlops(copies));
    }

    /** DL4J's {@code DenseLayer} encoder, same decoder. */
    static BenchCase plain(Shape s, INDArray x) {
        return fitStep("plain", s, x, plainEncoder(s), decoder(s));
    }

    /** As {@code cae}, with DL4J's {@code OutputLayer} as the decoder (what a DL4J user would write first). */
    static BenchCase caeWithOutputLayer(Shape s, INDArray x) {
        return fitStep("cae-outputlayer", s, x, caeEncoder(s), dl4jDecoder(s));
    }

    /** As {@code plain}, with DL4J's {@code OutputLayer} as the decoder: DL4J alone. */
    static BenchCase plainWithOutputLayer(Shape s, INDArray x) {
        return fitStep("plain-outputlayer", s, x, plainEncoder(s), dl4jDecoder(s));
    }

    private static Layer caeEncoder(Shape s) {
        return new ContractiveDenseLayer.Builder().nIn(s.nIn()).nOut(s.nOut()).activation(Activation.SIGMOID).lambda(LAMBDA).build();
    }

    private static Layer caeHEncoder(Shape s, int copies) {
        return new ContractiveDenseLayer.Builder().nIn(s.nIn()).nOut(s.nOut()).activation(Activation.SIGMOID).lambda(LAMBDA)
                .higherOrder(GAMMA, SIGMA, copies).build();
    }

    private static Layer plainEncoder(Shape s) {
        return new DenseLayer.Builder().nIn(s.nIn()).nOut(s.nOut()).activation(Activation.SIGMOID).build();
    }

    private static Layer decoder(Shape s) {
        return new DecoderOutputLayer.Builder(bce()).nIn(s.nOut()).nOut(s.nIn()).activation(Activation.SIGMOID).build();
    }

    private static Layer dl4jDecoder(Shape s) {
        return new OutputLayer.Builder(bce()).nIn(s.nOut()).nOut(s.nIn()).activation(Activation.SIGMOID).build();
    }

    private static ContractiveLossFunction bce() {
        return new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY);
    }

    /** A case and the network it trains, for {@link StepProfile}. */
    record Built(BenchCase step, MultiLayerNetwork net) {
    }

    /** cae, plain, cae-tied or cae-output (inference only), with its network. */
    static Built build(String name, Shape s, INDArray x) {
        switch (name) {
            case "cae":
                return fitNet(name, s, x, caeEncoder(s), decoder(s));
            case "plain":
                return fitNet(name, s, x, plainEncoder(s), decoder(s));
            case "cae-output": {
                // inference: what output() costs (the penalty is no longer computed there)
                MultiLayerNetwork net = fitNet(name, s, x, caeEncoder(s), decoder(s)).net();
                return new Built(new BenchCase() {
                    public String name() {
                        return name;
                    }

                    public void step() {
                        net.output(x);
                    }

                    public double usefulFlops() {
                        return s.gemmFlops() * 2;
                    }
                }, net);
            }
            case "cae-tied":
                return pretrainNet(name, s, x, new ContractiveDenseLayer.Builder().nIn(s.nIn()).nOut(s.nOut())
                        .activation(Activation.SIGMOID).lambda(LAMBDA).build());
            default:
                throw new IllegalArgumentException("case must be cae, plain, cae-tied or cae-output, got '" + name + "'");
        }
    }

    private static BenchCase fitStep(String name, Shape s, INDArray x, Layer encoder, Layer decoder) {
        return fitNet(name, s, x, encoder, decoder, s.trainingStepFlops()).step();
    }

    private static BenchCase fitStep(String name, Shape s, INDArray x, Layer encoder, Layer decoder, double flops) {
        return fitNet(name, s, x, encoder, decoder, flops).step();
    }

    private static Built fitNet(String name, Shape s, INDArray x, Layer encoder, Layer decoder) {
        return fitNet(name, s, x, encoder, decoder, s.trainingStepFlops());
    }

    private static Built fitNet(String name, Shape s, INDArray x, Layer encoder, Layer decoder, double flops) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new Sgd(LEARNING_RATE)).weightInit(WeightInit.XAVIER).list()
                .layer(encoder)
                .layer(decoder)
                .build());
        net.init();
        return new Built(new BenchCase() {
            public String name() {
                return name;
            }

            public void step() {
                net.fit(x, x);
            }

            public double usefulFlops() {
                return flops;
            }
        }, net);
    }

    /** DL4J's built-in {@code AutoEncoder} layer, one layer-wise pretraining step (tied decoder). */
    static BenchCase dl4jAutoencoder(Shape s, INDArray x) {
        return pretrainStep("dl4j-autoencoder", s, x,
                new AutoEncoder.Builder().nIn(s.nIn()).nOut(s.nOut()).activation(Activation.SIGMOID).build());
    }

    /**
     * {@code ContractiveDenseLayer}'s own layer-wise pretraining step: a tied CAE ({@code x̂ = g(hWᵀ + vb)}),
     * the same step structure as DL4J's {@code AutoEncoder}, plus the penalty. This is the step that
     * greedy pretraining runs.
     */
    static BenchCase caeTied(Shape s, INDArray x) {
        return pretrainStep("cae-tied", s, x, new ContractiveDenseLayer.Builder().nIn(s.nIn()).nOut(s.nOut())
                .activation(Activation.SIGMOID).lambda(LAMBDA).build());
    }

    /** {@code cae-tied} with the higher-order term: the step the pretrainer runs for a CAE+H layer. */
    static BenchCase caeHTied(Shape s, INDArray x, int copies) {
        return pretrainStep("cae-h-tied", s, x, caeHEncoder(s, copies), s.higherOrderStepFlops(copies));
    }

    private static BenchCase pretrainStep(String name, Shape s, INDArray x, Layer layer) {
        return pretrainNet(name, s, x, layer, s.trainingStepFlops()).step();
    }

    private static BenchCase pretrainStep(String name, Shape s, INDArray x, Layer layer, double flops) {
        return pretrainNet(name, s, x, layer, flops).step();
    }

    private static Built pretrainNet(String name, Shape s, INDArray x, Layer layer) {
        return pretrainNet(name, s, x, layer, s.trainingStepFlops());
    }

    private static Built pretrainNet(String name, Shape s, INDArray x, Layer layer, double flops) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new Sgd(LEARNING_RATE)).weightInit(WeightInit.XAVIER).list()
                .layer(layer)
                .build());
        net.init();
        return new Built(new BenchCase() {
            public String name() {
                return name;
            }

            public void step() {
                net.pretrainLayer(0, x);
            }

            public double usefulFlops() {
                return flops;
            }
        }, net);
    }

    /** The library's forward-only helper: per-example {@code ||J_f(x)||_F^2} for a batch. */
    static BenchCase penaltyForward(Shape s, INDArray x) {
        INDArray w = Nd4j.rand(DataType.FLOAT, s.nIn(), s.nOut()).subi(0.5).muli(0.1);
        INDArray b = Nd4j.zeros(DataType.FLOAT, s.nOut());
        return new BenchCase() {
            public String name() {
                return "penalty-forward";
            }

            public void step() {
                JacobianNorms.frobeniusSquared(x, w, b, Activation.SIGMOID.getActivationFunction()).sumNumber();
            }

            public double usefulFlops() {
                return s.gemmFlops();
            }
        };
    }
}

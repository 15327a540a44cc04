package io.github.cae4j.layers;

import io.github.cae4j.internal.HigherOrderPenalty;
import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.ExplicitJacobian;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The higher-order CAE (CAE+H) term of {@link ContractiveDenseLayer}, in a network, in double precision.
 *
 * <p>How the gradient checks hold the noise fixed: the term's noise is drawn from ND4J's global generator
 * at each training forward pass, and {@code GradientCheckUtil} runs one forward pass for the backprop
 * gradient and two per parameter for the finite differences. {@code callEachIter} reseeds the generator
 * before each of them (and {@code checkGradientsPretrainLayer} does so itself with its {@code rngSeed}),
 * so every pass draws the same ε and the check compares the gradient of one fixed objective with its
 * finite differences. The input-gradient check below reseeds the same way by hand.
 */
@ExtendWith(DoublePrecision.class)
class HigherOrderCaeTest {

    private static final double GAMMA = 1.7;
    private static final double SIGMA = 0.3;
    private static final int COPIES = 3;
    private static final long NOISE_SEED = 321;

    enum Supported {
        SIGMOID(Activation.SIGMOID), TANH(Activation.TANH), SOFTPLUS(Activation.SOFTPLUS), RELU(Activation.RELU),
        LEAKYRELU(Activation.LEAKYRELU), ELU(Activation.ELU), IDENTITY(Activation.IDENTITY);

        final Activation activation;

        Supported(Activation activation) {
            this.activation = activation;
        }
    }

    /** Every activation, with the first-order term on and off (the layer keeps f'' only for λ > 0 otherwise). */
    static Stream<Arguments> activationsAndLambdas() {
        return Arrays.stream(Supported.values()).flatMap(s -> Stream.of(Arguments.of(s, 0.0), Arguments.of(s, 0.4)));
    }

    private static ContractiveDenseLayer.Builder encoder(int nIn, int nOut, Activation activation, double lambda) {
        return new ContractiveDenseLayer.Builder().nIn(nIn).nOut(nOut).activation(activation).lambda(lambda)
                .higherOrder(GAMMA, SIGMA, COPIES).reconstructionLoss(TinyNets.bce()).visibleBiasInit(0.1);
    }

    /** CAE+H encoder (6→4) + sigmoid decoder with summed cross-entropy. */
    static MultiLayerNetwork autoencoder(Activation activation, double lambda, boolean miniBatch, IUpdater updater, double gamma) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(12345).dataType(DataType.DOUBLE).updater(updater).weightInit(WeightInit.XAVIER).miniBatch(miniBatch)
                .list()
                .layer(encoder(6, 4, activation, lambda).gamma(gamma).build())
                .layer(new OutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).activation(Activation.SIGMOID).build())
                .build());
        net.init();
        return net;
    }

    static MultiLayerNetwork autoencoder(Activation activation, double lambda) {
        return autoencoder(activation, lambda, true, new NoOp(), GAMMA);
    }

    /** tanh DenseLayer (6→5) → CAE+H (5→4) → sigmoid decoder: checks the epsilon the CAE+H layer passes down. */
    private static MultiLayerNetwork stack(Activation activation, double lambda) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(42).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build())
                .layer(encoder(5, 4, activation, lambda).build())
                .layer(new OutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).activation(Activation.SIGMOID).build())
                .build());
        net.init();
        return net;
    }

    private static boolean check(MultiLayerNetwork net, INDArray x) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(x)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
                .callEachIter(n -> Nd4j.getRandom().setSeed(NOISE_SEED)));
    }

    @ParameterizedTest
    @MethodSource("activationsAndLambdas")
    void gradientsMatchFiniteDifferencesAsTheFirstLayer(Supported s, double lambda) {
        assertTrue(check(autoencoder(s.activation, lambda), TinyNets.manifoldData(5, 6, 2, 7)), "first layer, " + s + ", lambda " + lambda);
    }

    @ParameterizedTest
    @MethodSource("activationsAndLambdas")
    void gradientsMatchFiniteDifferencesInTheMiddleOfAStack(Supported s, double lambda) {
        assertTrue(check(stack(s.activation, lambda), TinyNets.manifoldData(5, 6, 2, 11)), "mid-stack, " + s + ", lambda " + lambda);
    }

    /** Tied-decoder layer-wise pretraining ({@code computeGradientAndScore}); the check reseeds with its rngSeed. */
    @ParameterizedTest
    @MethodSource("activationsAndLambdas")
    void pretrainGradientsMatchFiniteDifferences(Supported s, double lambda) {
        MultiLayerNetwork net = autoencoder(s.activation, lambda);
        net.initGradientsView();
        assertTrue(GradientCheckUtil.checkGradientsPretrainLayer(net.getLayer(0), 1e-6, 1e-5, 1e-8, false, false,
                TinyNets.manifoldData(5, 6, 2, 13), (int) NOISE_SEED), "pretraining, " + s + ", lambda " + lambda);
    }

    /**
     * The epsilon w.r.t. the network input (what a layer below would receive), against central differences
     * of the summed training score, entry by entry.
     */
    @ParameterizedTest
    @EnumSource(Supported.class)
    void inputGradientMatchesFiniteDifferences(Supported s) {
        MultiLayerNetwork net = autoencoder(s.activation, 0.4);
        INDArray x = TinyNets.manifoldData(5, 6, 2, 17);
        INDArray labels = x.dup();
        Nd4j.getRandom().setSeed(NOISE_SEED);
        INDArray analytic = net.calculateGradients(x, labels, null, null).getSecond().dup();
        double step = 1e-6;
        double worst = 0;
        for (int n = 0; n < x.size(0); n++) {
            for (int i = 0; i < x.size(1); i++) {
                double orig = x.getDouble(n, i);
                x.putScalar(n, i, orig + step);
                double plus = trainingScoreSum(net, x, labels);
                x.putScalar(n, i, orig - step);
                double minus = trainingScoreSum(net, x, labels);
                x.putScalar(n, i, orig);
                double numeric = (plus - minus) / (2 * step);
                double a = analytic.getDouble(n, i);
                if (Math.abs(a - numeric) > 1e-8) {
                    worst = Math.max(worst, Math.abs(a - numeric) / (Math.abs(a) + Math.abs(numeric)));
                }
            }
        }
        assertTrue(worst < 1e-5, s + ": input gradient max relative error " + worst);
    }

    private static double trainingScoreSum(MultiLayerNetwork net, INDArray x, INDArray labels) {
        Nd4j.getRandom().setSeed(NOISE_SEED);
        return net.score(new DataSet(x, labels), true) * x.size(0);
    }

    /**
     * The term's value in the training score, against Jacobians built explicitly by finite differences of
     * the network's forward pass at {@code x_n} and at {@code x_n + ε_c,n}: {@code γ/n_c Σ_c ‖J(x_n) − J(x̃_c,n)‖²_F},
     * averaged over the batch ({@code miniBatch(true)}) or summed ({@code miniBatch(false)}), as λ's term is.
     * ε is the layer's documented draw ({@link HigherOrderPenalty#drawNoise}) after the same reseeding.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void scoreTermEqualsExplicitJacobianDifferences(boolean miniBatch) {
        for (Supported s : new Supported[]{Supported.SIGMOID, Supported.TANH, Supported.ELU, Supported.RELU}) {
            MultiLayerNetwork net = autoencoder(s.activation, 0.4, miniBatch, new NoOp(), GAMMA);
            int m = 4;
            INDArray x = TinyNets.manifoldData(m, 6, 2, 23);
            DataSet ds = new DataSet(x, x);
            Nd4j.getRandom().setSeed(NOISE_SEED);
            double training = net.score(ds, true);
            double inference = net.score(ds, false);

            Nd4j.getRandom().setSeed(NOISE_SEED);
            INDArray eps = HigherOrderPenalty.drawNoise(COPIES, m, 6, SIGMA, DataType.DOUBLE);
            double sum = 0;
            for (int n = 0; n < m; n++) {
                INDArray row = x.getRow(n, true).dup();
                INDArray j = ExplicitJacobian.matrix(net, 0, row, 1e-5);
                for (int c = 0; c < COPIES; c++) {
                    INDArray diff = j.sub(ExplicitJacobian.matrix(net, 0, row.add(eps.getRow((long) c * m + n, true)), 1e-5));
                    sum += diff.mul(diff).sumNumber().doubleValue();
                }
            }
            double expected = GAMMA / COPIES * (miniBatch ? sum / m : sum);
            assertTrue(expected > 1e-3, "non-trivial case for " + s + ": " + expected);
            assertEquals(expected, training - inference, 1e-6 * (1 + expected), s + ", miniBatch(" + miniBatch + ")");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void gradientsMatchFiniteDifferencesWithMiniBatchFalse(boolean pretrain) {
        MultiLayerNetwork net = autoencoder(Activation.TANH, 0.4, false, new NoOp(), GAMMA);
        INDArray x = TinyNets.manifoldData(5, 6, 2, 29);
        if (pretrain) {
            net.initGradientsView();
            assertTrue(GradientCheckUtil.checkGradientsPretrainLayer(net.getLayer(0), 1e-6, 1e-5, 1e-8, false, false, x, (int) NOISE_SEED));
        } else {
            assertTrue(check(net, x));
        }
    }

    /**
     * Mid-stack with a per-example feature and label mask (two of five examples masked out), miniBatch true
     * and false: masked examples add neither penalty nor gradient, in the score and in backprop alike.
     */
    @ParameterizedTest
    @EnumSource(value = Supported.class, names = {"SIGMOID", "TANH", "SOFTPLUS", "ELU"})
    void gradientsMatchFiniteDifferencesWithAPerExampleMask(Supported s) {
        for (boolean miniBatch : new boolean[]{true, false}) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                    .seed(1).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER).miniBatch(miniBatch)
                    .list()
                    .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build())
                    .layer(encoder(5, 4, s.activation, 0.4).build())
                    .layer(new OutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).activation(Activation.SIGMOID).build())
                    .build());
            net.init();
            INDArray x = TinyNets.manifoldData(5, 6, 2, 7);
            INDArray mask = Nd4j.create(new double[][]{{1}, {0}, {1}, {1}, {0}});
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(x)
                    .inputMask(mask).labelMask(mask).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).callEachIter(n -> Nd4j.getRandom().setSeed(NOISE_SEED))),
                    s + ", miniBatch(" + miniBatch + ")");
        }
    }

    /**
     * With dropout, masking noise and Gaussian input noise on the same layer, in {@code fit} and in tied
     * pretraining: the copies are taken around the corrupted input, and the reseeded check holds every
     * draw (dropout, noise, copies) fixed.
     */
    @ParameterizedTest
    @EnumSource(value = Supported.class, names = {"SIGMOID", "SOFTPLUS"})
    void gradientsMatchFiniteDifferencesWithDropoutAndInputNoise(Supported s) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .list()
                .layer(encoder(6, 4, s.activation, 0.4).dropOut(0.7).corruptionLevel(0.3).gaussianNoise(0.2).build())
                .layer(new OutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).activation(Activation.SIGMOID).build())
                .build());
        net.init();
        INDArray x = TinyNets.manifoldData(5, 6, 2, 7);
        assertTrue(check(net, x), "fit, " + s);
        net.initGradientsView();
        assertTrue(GradientCheckUtil.checkGradientsPretrainLayer(net.getLayer(0), 1e-6, 1e-5, 1e-8, false, false, x, (int) NOISE_SEED),
                "pretraining, " + s);
    }

    /**
     * Guards the network-level checks: if backprop used other noise than the score (here: the score's
     * noise reseeded, the gradient's not), the check must fail, so the passing checks above do compare one
     * fixed objective.
     */
    @Test
    void gradientCheckFailsWhenTheNoiseIsNotHeldFixed() {
        MultiLayerNetwork net = autoencoder(Activation.SIGMOID, 0.0, true, new NoOp(), 50.0);
        INDArray x = TinyNets.manifoldData(5, 6, 2, 7);
        int[] calls = {0};
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(x)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
                .exitOnFirstError(true).callEachIter(n -> Nd4j.getRandom().setSeed(calls[0]++ == 0 ? NOISE_SEED + 1 : NOISE_SEED)));
        assertFalse(ok, "a gradient taken with other noise must fail the check");
    }

    /** The same layer as a ComputationGraph vertex, in front of cae4j's DecoderOutputLayer. */
    @Test
    void gradientsMatchFiniteDifferencesInAComputationGraphWithTheDecoderOutputLayer() {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(31).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("x")
                .addLayer("enc", encoder(6, 4, Activation.TANH, 0.4).build(), "x")
                .addLayer("dec", new DecoderOutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).build(), "enc")
                .setOutputs("dec")
                .build());
        g.init();
        INDArray x = TinyNets.manifoldData(5, 6, 2, 37);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g).inputs(new INDArray[]{x})
                .labels(new INDArray[]{x}).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).callEachIter(n -> Nd4j.getRandom().setSeed(NOISE_SEED))));
    }

    /** Inference (output, score(data, false), scoreExamples) leaves the stochastic term out and draws no noise. */
    @Test
    void inferenceLeavesTheTermOutAndDrawsNothing() {
        MultiLayerNetwork withH = autoencoder(Activation.SIGMOID, 0.4);
        MultiLayerNetwork without = autoencoder(Activation.SIGMOID, 0.4, true, new NoOp(), 0.0);
        INDArray x = TinyNets.manifoldData(6, 6, 2, 31);
        DataSet ds = new DataSet(x, x);
        assertArrayEquals(without.output(x).data().asDouble(), withH.output(x).data().asDouble(), 0.0);
        assertEquals(without.score(ds, false), withH.score(ds, false), 0.0);
        assertArrayEquals(without.scoreExamples(ds, true).data().asDouble(), withH.scoreExamples(ds, true).data().asDouble(), 0.0);

        Nd4j.getRandom().setSeed(5);
        double expectedNext = Nd4j.getRandom().nextDouble();
        Nd4j.getRandom().setSeed(5);
        withH.output(x);
        withH.score(ds, false);
        assertEquals(expectedNext, Nd4j.getRandom().nextDouble(), 0.0, "inference must not consume the generator");

        assertTrue(withH.score(ds, true) > withH.score(ds, false), "training score includes the term");
    }

    /** Same seed, same noise: training is reproducible bit for bit; another seed trains differently. */
    @Test
    void trainingIsReproducibleWithTheSeed() {
        DataSet ds = TinyNets.autoencoderData(16, 6, 3);
        double[][] params = new double[3][];
        long[] seeds = {77, 77, 78};
        for (int k = 0; k < 3; k++) {
            MultiLayerNetwork net = autoencoder(Activation.TANH, 0.2, true, new Adam(0.01), GAMMA);
            Nd4j.getRandom().setSeed(seeds[k]);
            for (int i = 0; i < 5; i++) {
                net.fit(ds);
            }
            params[k] = net.params().dup().data().asDouble();
        }
        assertArrayEquals(params[0], params[1], 0.0, "same seed");
        assertFalse(Arrays.equals(params[0], params[2]), "another seed draws other noise");
    }

    /**
     * fit() with the term trains the objective: the training score falls, and the trained encoder's
     * Jacobian varies less around the data than that of the same network trained with γ = 0.
     */
    @Test
    void fitReducesTheJacobianVariation() {
        DataSet ds = TinyNets.autoencoderData(64, 6, 41);
        MultiLayerNetwork withH = autoencoder(Activation.SIGMOID, 0.0, true, new Adam(0.02), 20.0);
        MultiLayerNetwork without = autoencoder(Activation.SIGMOID, 0.0, true, new Adam(0.02), 0.0);
        Nd4j.getRandom().setSeed(1);
        double before = withH.score(ds, true);
        for (int i = 0; i < 200; i++) {
            withH.fit(ds);
            without.fit(ds);
        }
        Nd4j.getRandom().setSeed(1);
        assertTrue(withH.score(ds, true) < before, "training score " + before + " -> " + withH.score(ds, true));
        double variationWith = jacobianVariation(withH, ds.getFeatures());
        double variationWithout = jacobianVariation(without, ds.getFeatures());
        assertTrue(variationWith < 0.7 * variationWithout, "E||J(x) - J(x+eps)||^2: CAE+H " + variationWith + ", plain " + variationWithout);
    }

    /** Batch mean of (1/n_c) Σ_c ‖J(x) − J(x + ε_c)‖²_F for the first layer, with fixed noise. */
    static double jacobianVariation(MultiLayerNetwork net, INDArray x) {
        var layer = net.getLayer(0);
        INDArray W = layer.getParam("W");
        INDArray z = x.mmul(W).addiRowVector(layer.getParam("b"));
        var act = Activation.SIGMOID.getActivationFunction();
        INDArray h = act.getActivation(z.dup(), false);
        var der = io.github.cae4j.internal.ActivationDerivatives.of(act);
        Nd4j.getRandom().setSeed(99);
        return HigherOrderPenalty.compute(z, h, der.first(z, h), W, null, act, der, 1.0, SIGMA, 8).penaltySum() / x.size(0);
    }
}

package io.github.cae4j.layers;

import io.github.cae4j.testing.Exact;
import io.github.cae4j.losses.ContractiveLossFunction;
import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DecoderOutputLayer} against DL4J's {@code OutputLayer}: same outputs, scores, gradients and
 * training trajectory for the same parameters; gradients against finite differences; a step's score
 * is the score at that step's parameters and is never reused once the input or parameters moved on;
 * every setting survives serialisation.
 */
@ExtendWith(DoublePrecision.class)
class DecoderOutputLayerTest {

    private static final int N_IN = 6;
    private static final int N_HIDDEN = 4;
    private static final double TOLERANCE = 1e-12;   // double precision; the two layers differ only in product layout

    /** Decoder heads the layer must match OutputLayer on: an autoencoder's and a classifier's. */
    enum Head {
        SIGMOID_BCE(Activation.SIGMOID, TinyNets.bce(), N_IN),
        IDENTITY_MSE(Activation.IDENTITY, new LossMSE(), N_IN),
        SOFTMAX_MCXENT(Activation.SOFTMAX, new LossMCXENT(), 3);

        final Activation activation;
        final ILossFunction loss;
        final int nOut;

        Head(Activation activation, ILossFunction loss, int nOut) {
            this.activation = activation;
            this.loss = loss;
            this.nOut = nOut;
        }

        DataSet data(int m, long seed) {
            INDArray x = TinyNets.manifoldData(m, N_IN, 2, seed);
            if (nOut == N_IN) {
                return new DataSet(x, x.dup());
            }
            INDArray y = Nd4j.zeros(DataType.DOUBLE, m, nOut);
            for (int i = 0; i < m; i++) {
                y.putScalar(i, i % nOut, 1.0);
            }
            return new DataSet(x, y);
        }
    }

    private static MultiLayerNetwork net(Head head, boolean cae4jDecoder, double lambda) {
        return net(head, cae4jDecoder, lambda, new Adam(0.05));
    }

    private static MultiLayerNetwork net(Head head, boolean cae4jDecoder, double lambda, IUpdater updater) {
        BaseOutputLayer decoder = cae4jDecoder
                ? new DecoderOutputLayer.Builder(head.loss).nIn(N_HIDDEN).nOut(head.nOut).activation(head.activation).build()
                : new OutputLayer.Builder(head.loss).nIn(N_HIDDEN).nOut(head.nOut).activation(head.activation).build();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.DOUBLE).updater(updater).weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list()
                .layer(new ContractiveDenseLayer.Builder().nIn(N_IN).nOut(N_HIDDEN).activation(Activation.SIGMOID).lambda(lambda).build())
                .layer(decoder)
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** The DL4J twin with the same parameters (the two layers share DL4J's parameter layout). */
    private static MultiLayerNetwork[] twins(Head head, double lambda) {
        MultiLayerNetwork ours = net(head, true, lambda);
        MultiLayerNetwork dl4j = net(head, false, lambda);
        dl4j.setParams(ours.params().dup());
        return new MultiLayerNetwork[]{ours, dl4j};
    }

    /** Twins whose layers can be driven one by one (the network creates gradient views lazily, at its first step). */
    private static MultiLayerNetwork[] layerLevelTwins(double lambda) {
        MultiLayerNetwork[] n = twins(Head.SIGMOID_BCE, lambda);
        for (MultiLayerNetwork net : n) {
            net.initGradientsView();
        }
        return n;
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.length(), actual.length(), what);
        double maxDiff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(maxDiff <= TOLERANCE, what + ": max |difference| " + maxDiff + " > " + TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(Head.class)
    void outputsScoresAndGradientsMatchDl4jOutputLayer(Head head) {
        MultiLayerNetwork[] n = twins(head, 0.3);
        DataSet ds = head.data(7, 21);
        assertClose(n[1].output(ds.getFeatures()), n[0].output(ds.getFeatures()), "output");
        assertEquals(n[1].score(ds), n[0].score(ds), TOLERANCE, "score(DataSet)");
        assertClose(n[1].scoreExamples(ds, false), n[0].scoreExamples(ds, false), "scoreExamples without regularization terms");
        // With them, OutputLayer adds the penalty's batch mean to every row and this layer each example's own
        // penalty (PerExampleScoreTest), so only the means agree.
        assertEquals(n[1].scoreExamples(ds, true).meanNumber().doubleValue(), n[0].scoreExamples(ds, true).meanNumber().doubleValue(),
                TOLERANCE, "mean of scoreExamples");

        for (MultiLayerNetwork net : n) {
            net.setInput(ds.getFeatures());
            net.setLabels(ds.getLabels());
            net.computeGradientAndScore();
        }
        assertEquals(n[1].score(), n[0].score(), TOLERANCE, "training score");
        assertClose(n[1].gradient().gradient(), n[0].gradient().gradient(), "flattened gradient");
        for (String key : n[1].gradient().gradientForVariable().keySet()) {
            assertClose(n[1].gradient().getGradientFor(key), n[0].gradient().getGradientFor(key), "gradient " + key);
        }
    }

    @ParameterizedTest
    @EnumSource(Head.class)
    void trainsAlongTheSameTrajectoryAsDl4jOutputLayer(Head head) {
        MultiLayerNetwork[] n = twins(head, 0.3);
        DataSet ds = head.data(9, 22);
        for (int step = 0; step < 5; step++) {
            n[0].fit(ds);
            n[1].fit(ds);
            assertEquals(n[1].score(), n[0].score(), 1e-10, "score of step " + step);
        }
        assertClose(n[1].params(), n[0].params(), "parameters after 5 Adam steps");
    }

    @ParameterizedTest
    @EnumSource(Head.class)
    void gradientsMatchFiniteDifferences(Head head) {
        MultiLayerNetwork net = net(head, true, 0.7, new NoOp());
        DataSet ds = head.data(5, 23);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                .input(ds.getFeatures()).labels(ds.getLabels()).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)), "gradient check failed for " + head);
    }

    @Test
    void aStepsScoreIsTheScoreAtThatStepsParameters() {
        MultiLayerNetwork[] n = twins(Head.SIGMOID_BCE, 0.3);
        DataSet ds = Head.SIGMOID_BCE.data(8, 24);
        double before = n[0].score(ds);
        n[0].fit(ds);
        assertEquals(before, n[0].score(), TOLERANCE, "fit's score is the score before its update, as for OutputLayer");

        double after = n[0].score(ds);
        assertTrue(Math.abs(n[0].score() - after) > 1e-6, "score(DataSet) after the update must be computed afresh");
        n[1].fit(ds);
        assertEquals(n[1].score(ds), after, TOLERANCE, "fresh score at the updated parameters");
    }

    /** MSE that counts how often the layer asks it for a score on its own, and for a gradient with a score. */
    static final class CountingMse extends LossMSE {
        static final AtomicInteger SCORES = new AtomicInteger();
        static final AtomicInteger SCORES_WITH_GRADIENT = new AtomicInteger();
        private static final ThreadLocal<Boolean> INSIDE_GRADIENT_AND_SCORE = ThreadLocal.withInitial(() -> false);

        @Override
        public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
            if (!INSIDE_GRADIENT_AND_SCORE.get()) {
                SCORES.incrementAndGet();
            }
            return super.computeScore(labels, preOutput, activationFn, mask, average);
        }

        @Override
        public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                              INDArray mask, boolean average) {
            SCORES_WITH_GRADIENT.incrementAndGet();
            INSIDE_GRADIENT_AND_SCORE.set(true);
            try {
                return super.computeGradientAndScore(labels, preOutput, activationFn, mask, average);
            } finally {
                INSIDE_GRADIENT_AND_SCORE.set(false);
            }
        }
    }

    @Test
    void aTrainingStepScoresOneForwardProduct() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.DOUBLE)
                .updater(new Adam(0.01)).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(N_IN).nOut(N_HIDDEN).build())
                .layer(new DecoderOutputLayer.Builder(new CountingMse()).nIn(N_HIDDEN).nOut(N_IN).build())
                .build());
        net.init();
        DataSet ds = Head.SIGMOID_BCE.data(8, 28);
        CountingMse.SCORES.set(0);
        CountingMse.SCORES_WITH_GRADIENT.set(0);
        for (int i = 0; i < 3; i++) {
            net.fit(ds);
        }
        assertEquals(3, CountingMse.SCORES_WITH_GRADIENT.get(), "one gradient-and-score per step");
        assertEquals(0, CountingMse.SCORES.get(), "no second forward product for the score (OutputLayer makes one per step)");
    }

    @Test
    void aBackpropScoreIsReusedOnlyForTheSameInputAndLabels() {
        MultiLayerNetwork[] n = layerLevelTwins(0.3);
        DataSet ds = Head.SIGMOID_BCE.data(8, 25);
        INDArray h = n[0].feedForward(ds.getFeatures(), false).get(1).dup();
        INDArray y = ds.getLabels();
        INDArray otherY = y.rsub(1.0);
        var ours = (DecoderOutputLayerImpl) n[0].getOutputLayer();
        var dl4j = n[1].getOutputLayer();
        LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();
        double reg = 0.25;

        ours.setInput(h, noWs);
        ours.setLabels(y);
        ours.backpropGradient(null, noWs);
        ours.setLabels(otherY);
        dl4j.setInput(h, noWs);
        ((IOutputLayer) dl4j).setLabels(otherY);
        double expectedOther = ((IOutputLayer) dl4j).computeScore(reg, true, noWs);
        assertEquals(expectedOther, ours.computeScore(reg, true, noWs), TOLERANCE, "new labels: scored afresh");

        ours.setLabels(y);
        ours.backpropGradient(null, noWs);
        ours.setInput(h.dup(), noWs);
        ((IOutputLayer) dl4j).setLabels(y);
        double expected = ((IOutputLayer) dl4j).computeScore(reg, true, noWs);
        assertEquals(expected, ours.computeScore(reg, true, noWs), TOLERANCE, "new input: scored afresh");

        ours.backpropGradient(null, noWs);
        assertEquals(expected, ours.computeScore(reg, true, noWs), TOLERANCE, "same input and labels: the backprop's score");
        n[0].getOutputLayer().getParam("b").addi(1.0);   // a second reuse would now be visible
        double rescored = ours.computeScore(reg, true, noWs);
        assertTrue(Math.abs(rescored - expected) > 1e-3, "used once, then scored afresh: " + rescored + " vs " + expected);
    }

    /** The ways a layer learns that its parameters (or its step) moved on between its backprop and its score. */
    enum ParameterChange {
        SET_PARAMS((layer, p) -> layer.setParams(p.params().dup().addi(0.5))),
        SET_PARAM((layer, p) -> layer.setParam("b", p.getParam("b").add(1.0))),
        SET_PARAM_TABLE((layer, p) -> {
            Map<String, INDArray> table = new LinkedHashMap<>();
            p.paramTable().forEach((k, v) -> table.put(k, v.add(0.5)));
            layer.setParamTable(table);
        }),
        SET_PARAMS_VIEW_ARRAY((layer, p) -> {
            INDArray moved = p.params().add(0.5);
            layer.setParamsViewArray(moved);
            layer.setParamTable(DefaultParamInitializer.getInstance().init(layer.conf(), moved, false));
        }),
        NEXT_ITERATION((layer, p) -> {
            layer.setIterationCount(layer.getIterationCount() + 1);
            p.getParam("b").addi(1.0);
        }),
        NEXT_EPOCH((layer, p) -> {
            layer.setEpochCount(layer.getEpochCount() + 1);
            p.getParam("b").addi(1.0);
        });

        final BiConsumer<org.deeplearning4j.nn.api.Layer, org.deeplearning4j.nn.api.Layer> apply;

        ParameterChange(BiConsumer<org.deeplearning4j.nn.api.Layer, org.deeplearning4j.nn.api.Layer> apply) {
            this.apply = apply;
        }
    }

    @ParameterizedTest
    @EnumSource(ParameterChange.class)
    void aBackpropScoreIsNotReusedOnceTheParametersChanged(ParameterChange change) {
        MultiLayerNetwork[] n = layerLevelTwins(0.3);
        DataSet ds = Head.SIGMOID_BCE.data(8, 29);
        INDArray h = n[0].feedForward(ds.getFeatures(), false).get(1).dup();
        INDArray y = ds.getLabels();
        var ours = (DecoderOutputLayerImpl) n[0].getOutputLayer();
        var dl4j = n[1].getOutputLayer();
        LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();

        ours.setInput(h, noWs);
        ours.setLabels(y);
        ours.backpropGradient(null, noWs);
        double stale = ours.computeScore(0.0, false, noWs);
        ours.backpropGradient(null, noWs);
        change.apply.accept(ours, ours);     // same input and labels arrays, parameters moved on
        ours.paramTable().forEach(dl4j::setParam);
        dl4j.setInput(h, noWs);
        ((IOutputLayer) dl4j).setLabels(y);
        double fresh = ((IOutputLayer) dl4j).computeScore(0.0, true, noWs);
        assertTrue(Math.abs(fresh - stale) > 1e-3, "the change must move the score: " + fresh + " vs " + stale);
        assertEquals(fresh, ours.computeScore(0.0, true, noWs), TOLERANCE, change + ": scored afresh");
    }

    @Test
    void clearForgetsABackpropScore() {
        MultiLayerNetwork[] n = layerLevelTwins(0.3);
        DataSet ds = Head.SIGMOID_BCE.data(8, 30);
        INDArray h = n[0].feedForward(ds.getFeatures(), false).get(1).dup();
        var ours = (DecoderOutputLayerImpl) n[0].getOutputLayer();
        LayerWorkspaceMgr noWs = LayerWorkspaceMgr.noWorkspaces();
        ours.setInput(h, noWs);
        ours.setLabels(ds.getLabels());
        ours.backpropGradient(null, noWs);
        ours.clear();
        ours.getParam("b").addi(1.0);
        ours.setInput(h, noWs);          // the same arrays again
        ours.setLabels(ds.getLabels());
        double expected = ours.computeScore(0.0, false, noWs);
        assertEquals(expected, ours.computeScore(0.0, true, noWs), TOLERANCE, "after clear(): scored afresh");
    }

    @Test
    void defaultsAreASigmoidCrossEntropyDecoder() {
        DecoderOutputLayer d = new DecoderOutputLayer.Builder().nIn(3).nOut(5).build();
        assertEquals(Activation.SIGMOID.getActivationFunction(), d.getActivationFn());
        assertEquals(new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY), d.getLossFn());
        assertTrue(d.hasBias());
    }

    @Test
    void missingSizesAndWrongInputAreNamed() {
        var noNOut = new NeuralNetConfiguration.Builder().list()
                .layer(new ContractiveDenseLayer.Builder().nIn(4).nOut(3).build())
                .layer(new DecoderOutputLayer.Builder().name("dec").nIn(3).build()).build();
        Exception e = assertThrows(DL4JInvalidConfigException.class, () -> new MultiLayerNetwork(noNOut).init());
        assertTrue(e.getMessage().contains("DecoderOutputLayer") && e.getMessage().contains("dec")
                && e.getMessage().contains("nOut"), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> new DecoderOutputLayer.Builder(null));

        MultiLayerNetwork net = net(Head.IDENTITY_MSE, true, 0.1);
        var decoder = net.getOutputLayer();
        Exception wrong = assertThrows(DL4JInvalidInputException.class,
                () -> decoder.activate(Nd4j.rand(DataType.DOUBLE, 2, N_HIDDEN + 1), false,
                        LayerWorkspaceMgr.noWorkspaces()));
        assertTrue(wrong.getMessage().contains("does not match layer input size (layer # inputs = " + N_HIDDEN + ")"), wrong.getMessage());
    }

    @Test
    void nInIsInferredFromTheInputTypeLikeOutputLayers() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new ContractiveDenseLayer.Builder().nOut(N_HIDDEN).build())
                .layer(new DecoderOutputLayer.Builder().nOut(N_IN).build())
                .setInputType(InputType.feedForward(N_IN))
                .build();
        assertEquals(N_HIDDEN, ((DecoderOutputLayer) conf.getConf(1).getLayer()).getNIn());
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertEquals(N_HIDDEN * N_IN + N_IN, net.getOutputLayer().numParams());
    }

    /** Every setting a decoder has, off its default. */
    private static MultiLayerConfiguration nonDefaultConfiguration() {
        return new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT).updater(new Adam(0.01)).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(N_IN).nOut(N_HIDDEN).lambda(0.2).build())
                .layer(new DecoderOutputLayer.Builder(new LossMSE()).name("dec").nIn(N_HIDDEN).nOut(N_IN)
                        .activation(Activation.TANH).hasBias(false).l2(1e-3).weightInit(WeightInit.UNIFORM).build())
                .build();
    }

    @Test
    void configurationRoundTripsThroughJsonAndYaml() {
        MultiLayerConfiguration conf = nonDefaultConfiguration();
        for (MultiLayerConfiguration restored : new MultiLayerConfiguration[]{
                MultiLayerConfiguration.fromJson(conf.toJson()), MultiLayerConfiguration.fromYaml(conf.toYaml())}) {
            assertEquals(conf, restored);
            DecoderOutputLayer d = assertInstanceOf(DecoderOutputLayer.class, restored.getConf(1).getLayer());
            assertEquals("dec", d.getLayerName());
            assertEquals(new LossMSE(), d.getLossFn());
            assertEquals(Activation.TANH.getActivationFunction(), d.getActivationFn());
            assertEquals(false, d.hasBias());
        }
    }

    @Test
    void modelSerializerRestoresAModelThatComputesBitIdenticalOutputs(@TempDir File dir) throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(nonDefaultConfiguration());
        net.init();
        INDArray x = TinyNets.manifoldData(10, N_IN, 2, 26).castTo(DataType.FLOAT);
        DataSet ds = new DataSet(x, x);
        for (int i = 0; i < 3; i++) {
            net.fit(ds);
        }
        File file = new File(dir, "decoder.zip");
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertInstanceOf(DecoderOutputLayerImpl.class, restored.getOutputLayer());
        assertEquals(net.paramTable().keySet(), restored.paramTable().keySet());
        for (String key : net.paramTable().keySet()) {
            Exact.assertBitIdentical(net.paramTable().get(key), restored.paramTable().get(key), "parameter " + key);
        }
        Exact.assertBitIdentical(net.getUpdater().getStateViewArray(), restored.getUpdater().getStateViewArray(), "updater state");
        Exact.assertBitIdentical(net.output(x), restored.output(x), "outputs");
        net.fit(ds);
        restored.fit(ds);
        Exact.assertBitIdentical(net.params(), restored.params(), "training continues identically after restore");
    }

    @Test
    void backpropPassesAnEpsilonThatMatchesOutputLayers() {
        MultiLayerNetwork[] n = layerLevelTwins(0.0);
        DataSet ds = Head.SIGMOID_BCE.data(6, 27);
        INDArray h = n[0].feedForward(ds.getFeatures(), false).get(1).dup();
        assertClose(epsilonToTheEncoder(n[1], h, ds.getLabels()), epsilonToTheEncoder(n[0], h, ds.getLabels()), "epsilon to the encoder");
    }

    private static INDArray epsilonToTheEncoder(MultiLayerNetwork net, INDArray h, INDArray y) {
        var decoder = net.getOutputLayer();
        decoder.setInput(h, LayerWorkspaceMgr.noWorkspaces());
        ((IOutputLayer) decoder).setLabels(y);
        return decoder.backpropGradient(null, LayerWorkspaceMgr.noWorkspaces()).getSecond();
    }
}

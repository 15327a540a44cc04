package io.github.cae4j.layers;

import io.github.cae4j.internal.ActivationDerivatives;
import io.github.cae4j.internal.ContractivePenalty;
import io.github.cae4j.testing.DoublePrecision;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.Collection;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Negative controls for the gradient checks of {@link ContractiveDenseLayerGradientTest}: two test-only
 * variants of the layer, each missing one term of the penalty's gradient, must <em>fail</em> the very
 * check the real layer passes (same network, same parameters, same data, same tolerances). The score is
 * unchanged in both variants, so the check can only catch them through the gradient.
 * <ul>
 *   <li>{@link Drop#SECOND_DERIVATIVE}: {@code f''} reported as zero, so {@code δ} lacks
 *       {@code 2λ f' f'' s} ({@code ∂P/∂z}, which reaches b, the {@code xᵀδ} part of W and the epsilon);</li>
 *   <li>{@link Drop#DIRECT_WEIGHT_TERM}: the direct {@code ∂P/∂W = 2λ W Σ_n f'²} subtracted again after
 *       backprop (and after pretraining's {@code computeGradientAndScore}).</li>
 * </ul>
 */
@ExtendWith(DoublePrecision.class)
class PenaltyGradientNegativeControlTest {

    private static final double LAMBDA = 0.7;

    enum Drop { SECOND_DERIVATIVE, DIRECT_WEIGHT_TERM }

    /** Activations whose f'' is not zero almost everywhere: dropping it must be visible. */
    enum Curved {
        SIGMOID(Activation.SIGMOID), TANH(Activation.TANH), SOFTPLUS(Activation.SOFTPLUS), ELU(Activation.ELU);

        final Activation activation;

        Curved(Activation activation) {
            this.activation = activation;
        }
    }

    @ParameterizedTest
    @EnumSource(Curved.class)
    void droppingTheSecondDerivativeTermFailsTheAutoencoderGradientCheck(Curved c) {
        assertCaught(Drop.SECOND_DERIVATIVE, c.activation);
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"SIGMOID", "TANH", "RELU", "IDENTITY"})
    void droppingTheDirectWeightTermFailsTheAutoencoderGradientCheck(Activation a) {
        assertCaught(Drop.DIRECT_WEIGHT_TERM, a);
    }

    @Test
    void bothFailThePretrainingGradientCheckOfATiedCae() {
        INDArray x = TinyNets.manifoldData(5, 6, 2, 13);
        MultiLayerNetwork real = ContractiveDenseLayerGradientTest.singleLayer(Activation.SIGMOID, 0.5, 0.0);
        assertTrue(pretrainCheck(real, x), "the real layer passes");
        for (Drop drop : Drop.values()) {
            MultiLayerNetwork broken = net(drop, Activation.SIGMOID, 0.5, true);
            broken.setParams(real.params());
            assertFalse(pretrainCheck(broken, x), "pretraining check must catch " + drop);
        }
    }

    private static void assertCaught(Drop drop, Activation activation) {
        INDArray x = TinyNets.manifoldData(5, 6, 2, 7);
        MultiLayerNetwork real = TinyNets.autoencoder(6, 4, activation, LAMBDA);
        MultiLayerNetwork broken = net(drop, activation, LAMBDA, false);
        broken.setParams(real.params());
        DataSet ds = new DataSet(x, x);
        assertEquals(real.score(ds, true), broken.score(ds, true), 0.0, "same score: only the gradient differs");
        assertTrue(check(real, x), "the real layer passes (" + activation + ")");
        assertFalse(check(broken, x), "the gradient check must catch " + drop + " (" + activation + ")");
    }

    private static boolean check(MultiLayerNetwork net, INDArray x) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(x)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    private static boolean pretrainCheck(MultiLayerNetwork net, INDArray x) {
        net.initGradientsView();
        return GradientCheckUtil.checkGradientsPretrainLayer(net.getLayer(0), 1e-6, 1e-5, 1e-8, false, false, x, 12345);
    }

    /** As {@link TinyNets#autoencoder} (or {@code singleLayer} for pretraining), with the broken encoder. */
    private static MultiLayerNetwork net(Drop drop, Activation activation, double lambda, boolean pretrainSettings) {
        Broken encoder = new Broken(drop);
        encoder.setNIn(6);
        encoder.setNOut(4);
        encoder.setActivationFn(activation.getActivationFunction());
        encoder.setLambda(lambda);
        if (pretrainSettings) {
            encoder.setReconstructionLoss(TinyNets.bce());
            encoder.setVisibleBiasInit(0.1);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(12345).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
                .layer(encoder)
                .layer(new OutputLayer.Builder(TinyNets.bce()).nIn(4).nOut(6).activation(Activation.SIGMOID).build())
                .build());
        net.init();
        return net;
    }

    /** The layer's configuration with one gradient term removed; test-only, never serialised. */
    static final class Broken extends ContractiveDenseLayer {
        final Drop drop;

        Broken(Drop drop) {
            this.drop = drop;
        }

        @Override
        public ActivationDerivatives activationDerivatives() {
            ActivationDerivatives real = super.activationDerivatives();
            if (drop != Drop.SECOND_DERIVATIVE) {
                return real;
            }
            return new ActivationDerivatives() {
                @Override
                public INDArray first(INDArray z, INDArray h) {
                    return real.first(z, h);
                }

                @Override
                public INDArray second(INDArray z, INDArray h, INDArray d1) {
                    return null;
                }
            };
        }

        @Override
        public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                int layerIndex, INDArray paramsView, boolean initializeParams, DataType dataType) {
            if (drop != Drop.DIRECT_WEIGHT_TERM) {
                return super.instantiate(conf, listeners, layerIndex, paramsView, initializeParams, dataType);
            }
            WithoutDirectTerm layer = new WithoutDirectTerm(conf, dataType);
            layer.setListeners(listeners);
            layer.setIndex(layerIndex);
            layer.setParamsViewArray(paramsView);
            Map<String, INDArray> params = initializer().init(conf, paramsView, initializeParams);
            layer.setParamTable(params);
            layer.setConf(conf);
            return layer;
        }
    }

    /** Subtracts {@code 2λ W Σ_n f'(z_n)²} from the W gradient the real layer computed. */
    static final class WithoutDirectTerm extends ContractiveDenseLayerImpl {
        WithoutDirectTerm(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            INDArray direct = directTerm();
            Pair<Gradient, INDArray> p = super.backpropGradient(epsilon, workspaceMgr);
            p.getFirst().getGradientFor("W").subi(direct);
            return p;
        }

        @Override
        public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
            INDArray direct = directTerm();
            super.computeGradientAndScore(workspaceMgr);
            gradient().getGradientFor("W").subi(direct);
        }

        private INDArray directTerm() {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                INDArray W = getParam("W");
                INDArray z = input.castTo(W.dataType()).mmul(W).addiRowVector(getParam("b"));
                INDArray h = layerConf().getActivationFn().getActivation(z.dup(), true);
                INDArray d1 = layerConf().activationDerivatives().first(z, h);
                INDArray direct = W.ulike();
                ContractivePenalty.writeDirectWeightGradient(direct, W, ContractivePenalty.squaredDerivativeColumnSums(d1),
                        layerConf().getLambda());
                return direct;
            }
        }
    }
}

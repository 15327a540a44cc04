package io.github.cae4j.layers;

import io.github.cae4j.internal.ActivationDerivatives;

import io.github.cae4j.losses.ContractiveLossFunction;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * Dense encoder layer with a contractive penalty (Rifai, Vincent, Muller, Glorot, Bengio,
 * "Contractive Auto-Encoders: Explicit Invariance During Feature Extraction", ICML 2011).
 * For a minibatch {@code x [m, nIn]}, {@code W [nIn, nOut]}, {@code b [nOut]} and an element-wise
 * activation {@code f}:
 * <pre>
 *   z = xW + b,   h = f(z)                                   (exactly DL4J's DenseLayer)
 *   ‖J_f(x)‖²_F = Σ_j f'(z_j)² · Σ_i W_ij²                  (J = ∂h/∂x, never built)
 *   P = λ/m · Σ_n ‖J_f(x_n)‖²_F                              (batch mean, added to the score; no 1/m with miniBatch(false))
 *   ∂P/∂z_nj = 2λ/m · f'(z_nj) f''(z_nj) Σ_i W_ij²            (flows into ∂/∂W, ∂/∂b and ∂/∂x)
 *   ∂P/∂W_ij += 2λ/m · W_ij Σ_n f'(z_nj)²                     (direct term)
 * </pre>
 * Use it where {@code DenseLayer} would go: the forward pass is identical, and backprop adds the
 * penalty's gradient to W and b and passes {@code ∂P/∂x} back with the epsilon, so the layer is
 * correct anywhere in a stack. The network score (what {@code score()}, listeners and early stopping
 * see) is {@code (1/m) Σ_x [reconstruction(x) + λ‖J_f(x)‖²_F]} plus the usual l1/l2 terms. With
 * DL4J's {@code miniBatch(false)} it is the sum {@code Σ_x [...]} instead, as DL4J's output layers
 * report it; gradients are batch sums either way (DL4J's updater divides them by {@code m} only with
 * {@code miniBatch(true)}), so score and gradient agree in both settings.
 *
 * <p>Put it in front of a {@link DecoderOutputLayer} (or DL4J's {@code OutputLayer}, the same math
 * at a higher cost) with a {@link io.github.cae4j.losses.ContractiveLossFunction} and labels equal to
 * the features, and the network trains the paper's objective with an untied decoder. With DL4J's layer-wise
 * {@code pretrainLayer}, the layer trains itself as a CAE with a <em>tied</em> decoder
 * {@code x̂ = g(hWᵀ + vb)} ({@code g} = {@link #getDecoderActivation() decoderActivation}, loss =
 * {@link #getReconstructionLoss() reconstructionLoss}), as in the paper; {@code vb} is a
 * pretrain-only parameter that supervised training leaves alone. There, dropout ({@code dropOut(p)}),
 * {@link #getCorruptionLevel() corruptionLevel} and {@link #getGaussianNoise() gaussianNoise} corrupt
 * only the encoder's input {@code x̃}; the decoder reconstructs the clean {@code x}.
 *
 * <p>Denoising: with {@code corruptionLevel} (masking noise) or {@code gaussianNoise} set, the encoder
 * sees a corrupted {@code x̃} in training, both under {@code fit()} (where the labels, the clean features
 * of an autoencoder, are untouched) and in layer-wise pretraining (where the tied decoder reconstructs the
 * clean input); inference never adds noise. The penalty is taken at {@code x̃} in both paths:
 * {@code λ‖J_f(x̃)‖²_F}, where the encoder is evaluated and its derivatives are already at hand, so
 * both paths train the same objective (contractive and denoising at once). Under {@code fit()} the
 * epsilon passed to the layer below goes back through the masking.
 *
 * <p>Higher-order CAE (CAE+H; Rifai, Mesnil, Vincent, Muller, Bengio, Dauphin, Glorot, "Higher Order
 * Contractive Auto-Encoder", ECML-PKDD 2011), off by default ({@code gamma = 0}). With {@code gamma > 0}
 * each training step draws {@code n_c} ({@link #getCorruptedCopies() corruptedCopies}) noisy copies
 * {@code x̃_c = x + ε_c}, {@code ε_c ~ N(0, σ²I)} ({@link #getSigma() sigma}), of every encoder input
 * {@code x} and adds a penalty on how much the Jacobian changes between them:
 * <pre>
 *   z̃_c = x̃_c W + b,   Δ_c,j = f'(z_j) − f'(z̃_c,j)
 *   ‖J_f(x) − J_f(x̃_c)‖²_F = Σ_j Δ_c,j² · Σ_i W_ij²              (exact for an element-wise f; J never built)
 *   P_H = γ/m · Σ_n (1/n_c) Σ_c ‖J_f(x_n) − J_f(x̃_c,n)‖²_F        (batch mean, a Monte-Carlo estimate of
 *                                                                 γ E_ε‖J_f(x) − J_f(x + ε)‖²_F; no 1/m with miniBatch(false))
 * </pre>
 * Its exact gradient (with the noise held fixed; it needs {@code f''} at {@code z} and at every {@code z̃_c})
 * flows into W, b and the epsilon like the first-order term's. The noise comes from ND4J's global random
 * generator, so a seeded network (or {@code Nd4j.getRandom().setSeed(...)}) gives the same draws.
 * It is a <em>training</em> term: it is in the score of {@code fit}, {@code score(data, true)}, layer-wise
 * pretraining and gradient checks, but inference passes ({@code output}, {@code score(data, false)},
 * {@code scoreExamples}, early stopping's loss calculators) leave it out, as they leave out dropout and
 * input noise, because a random term there would make validation scores noisy and would consume the
 * generator's draws. Where {@code x} is corrupted by {@code corruptionLevel}/{@code gaussianNoise}/dropout,
 * the copies are taken around the corrupted {@code x̃}, like the first-order term. Cost: {@code n_c}
 * extra products of the layer's size forward and one backward (see docs/cae-h.md for measured times).
 *
 * <p>Per-example scores ({@code scoreExamples(data, true)}) give each example its own
 * {@code reconstruction(x) + λ‖J_f(x)‖²_F} (plus l1/l2, which DL4J adds to every row) when the output
 * layer is a {@link DecoderOutputLayer}. With DL4J's {@code OutputLayer} they cannot: DL4J adds one
 * regularization number for the whole batch to every row, so each row then carries the batch mean of
 * the penalty (the rows' mean is still right). {@code scoreExamples(data, false)} leaves the penalty
 * out with either, as it leaves out l1/l2.
 *
 * <p>Half precision ({@code dataType(DataType.HALF)}) works as for DL4J's own layers, with the same
 * caveat: Adam's default epsilon {@code 1e-8} is below fp16's smallest subnormal ({@code ≈ 6·10⁻⁸}) and
 * rounds to 0, and {@code (1 − β2)·g²} underflows to 0 for small gradients, so the update
 * {@code m / (√v + ε)} divides by zero and the parameters turn NaN within the first steps, for a plain
 * {@code DenseLayer} + {@code OutputLayer} network just as for this layer (DL4J 1.0.0-M2.1). Give Adam
 * (or any updater with an epsilon) one that fp16 can hold, e.g. {@code new Adam(lr, 0.9, 0.999, 1e-4)};
 * then the score falls as in float. The penalty itself is computed in the network's data type.
 *
 * <p>Required: {@code nOut}, and {@code nIn} unless the configuration sets an input type.
 * Supported activations: {@value ActivationDerivatives#SUPPORTED}.
 */
public class ContractiveDenseLayer extends FeedForwardLayer {

    /** Contraction strength used when the builder does not set {@code lambda}. */
    public static final double DEFAULT_LAMBDA = 0.1;

    /**
     * Largest accepted {@code lambda}. The paper's values are of order 0.01-10; {@code ‖J‖²_F} per example
     * can reach about {@code 10⁵-10⁶} for a wide layer with unit-scale weights, so {@code λ = 10⁶} keeps
     * penalty scores and their gradients ({@code 2λ f' f'' s}) around {@code 10¹²}, far inside float range
     * ({@code 3.4·10³⁸}), while {@code λ = 10³⁰⁰} turns them into Inf at once.
     */
    public static final double MAX_LAMBDA = 1e6;

    /** CAE+H strength used when the builder does not set {@code gamma}: 0, the higher-order term is off. */
    public static final double DEFAULT_GAMMA = 0.0;

    /** Largest accepted {@code gamma}; as {@link #MAX_LAMBDA}, and for the same reason. */
    public static final double MAX_GAMMA = MAX_LAMBDA;

    /** Standard deviation of the CAE+H noise used when the builder does not set {@code sigma}. */
    public static final double DEFAULT_SIGMA = 0.1;

    /** Number of CAE+H corrupted copies per example used when the builder does not set {@code corruptedCopies}. */
    public static final int DEFAULT_CORRUPTED_COPIES = 4;

    /**
     * Largest accepted {@code corruptedCopies}. Each copy costs about one more product of the layer's size
     * forward and backward and holds {@code [m, nIn + 2·nOut]} values until backprop, so 64 copies already
     * make a step some 20 times as expensive as the CAE's; the estimate's variance falls only as {@code 1/n_c}.
     */
    public static final int MAX_CORRUPTED_COPIES = 64;

    private double lambda = DEFAULT_LAMBDA;
    private boolean hasBias = true;
    private ILossFunction reconstructionLoss = defaultReconstructionLoss();
    private IActivation decoderActivation = Activation.SIGMOID.getActivationFunction();
    private double visibleBiasInit = 0.0;
    private double corruptionLevel = 0.0;
    private double gaussianNoise = 0.0;
    private double gamma = DEFAULT_GAMMA;
    private double sigma = DEFAULT_SIGMA;
    private int corruptedCopies = DEFAULT_CORRUPTED_COPIES;

    /** For Jackson; use the {@link Builder}. */
    public ContractiveDenseLayer() {
    }

    private ContractiveDenseLayer(Builder b) {
        super(b);
        this.lambda = b.lambda;
        this.hasBias = b.hasBias;
        this.reconstructionLoss = b.reconstructionLoss;
        this.decoderActivation = b.decoderActivation;
        this.visibleBiasInit = b.visibleBiasInit;
        this.corruptionLevel = b.corruptionLevel;
        this.gaussianNoise = b.gaussianNoise;
        this.gamma = b.gamma;
        this.sigma = b.sigma;
        this.corruptedCopies = b.corruptedCopies;
        initializeConstraints(b);
    }

    private static ILossFunction defaultReconstructionLoss() {
        return new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY,
                ContractiveLossFunction.Reduction.SUM, ContractiveLossFunction.DEFAULT_CLIP_EPSILON);
    }

    /**
     * Checks every field this layer adds, plus nIn/nOut when set. Called from {@link Builder#build()}
     * and again from {@link #instantiate}, because Jackson and global defaults bypass the builder.
     *
     * @param requireSizes true once sizes must be known (at instantiation)
     * @throws IllegalArgumentException naming the layer, the field, the bad value and what is allowed
     */
    public void validate(boolean requireSizes) {
        String who = "ContractiveDenseLayer \"" + (getLayerName() == null ? "(unnamed)" : getLayerName()) + "\": ";
        if (!(lambda >= 0 && lambda <= MAX_LAMBDA)) {
            throw new IllegalArgumentException(who + "lambda must be in [0, " + MAX_LAMBDA + "], got " + lambda
                    + (lambda > MAX_LAMBDA ? " (larger values overflow float scores and gradients)" : ""));
        }
        if (nIn < 0 || (requireSizes && nIn == 0)) {
            throw new IllegalArgumentException(who + "nIn must be > 0, got " + nIn
                    + (nIn == 0 ? " (set nIn(...) or the configuration's setInputType(...))" : ""));
        }
        if (nOut < 0 || (requireSizes && nOut == 0)) {
            throw new IllegalArgumentException(who + "nOut must be > 0, got " + nOut + (nOut == 0 ? " (set nOut(...))" : ""));
        }
        // A null activation at build() means "inherit the network default"; it is checked at instantiation.
        if (activationFn != null || requireSizes) {
            String problem = ActivationDerivatives.unsupportedReason(activationFn);
            if (problem != null) {
                throw new IllegalArgumentException(who + problem);
            }
        }
        if (reconstructionLoss == null) {
            throw new IllegalArgumentException(who + "reconstructionLoss must not be null");
        }
        if (decoderActivation == null) {
            throw new IllegalArgumentException(who + "decoderActivation must not be null");
        }
        if (!Double.isFinite(visibleBiasInit)) {
            throw new IllegalArgumentException(who + "visibleBiasInit must be finite, got " + visibleBiasInit);
        }
        if (!(corruptionLevel >= 0 && corruptionLevel < 1)) {
            throw new IllegalArgumentException(who + "corruptionLevel must be in [0, 1), got " + corruptionLevel);
        }
        if (!Double.isFinite(gaussianNoise) || gaussianNoise < 0) {
            throw new IllegalArgumentException(who + "gaussianNoise (standard deviation) must be finite and >= 0, got " + gaussianNoise);
        }
        if (!(gamma >= 0 && gamma <= MAX_GAMMA)) {
            throw new IllegalArgumentException(who + "gamma must be in [0, " + MAX_GAMMA + "], got " + gamma
                    + (gamma > MAX_GAMMA ? " (larger values overflow float scores and gradients)" : ""));
        }
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException(who + "sigma (standard deviation of the higher-order term's noise) must be"
                    + " finite and > 0, got " + sigma + (sigma == 0 ? " (use gamma = 0 to turn the term off)" : ""));
        }
        if (corruptedCopies < 1 || corruptedCopies > MAX_CORRUPTED_COPIES) {
            throw new IllegalArgumentException(who + "corruptedCopies must be in [1, " + MAX_CORRUPTED_COPIES + "], got "
                    + corruptedCopies);
        }
        if (iDropout instanceof Dropout && ((Dropout) iDropout).getPSchedule() == null) {
            double p = ((Dropout) iDropout).getP();
            if (!(p > 0 && p <= 1)) {
                throw new IllegalArgumentException(who + "dropOut (probability of keeping an input) must be in (0, 1], got " + p);
            }
        }
    }

    /**
     * As {@code DenseLayer}, except that with {@code setInputType(...)} an nIn set by hand that
     * disagrees with what the previous layer outputs fails here, at {@code build()}. DL4J's default
     * ({@code overrideNinUponBuild}) would silently replace it, hiding a wiring mistake; leave nIn
     * unset to have it inferred.
     */
    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (nIn > 0 && inputType instanceof InputType.InputTypeFeedForward) {
            long incoming = ((InputType.InputTypeFeedForward) inputType).getSize();
            if (incoming != nIn) {
                throw new IllegalArgumentException("ContractiveDenseLayer \"" + (getLayerName() == null ? "(unnamed)" : getLayerName())
                        + "\": nIn is " + nIn + " but the previous layer (or the input type) gives " + incoming
                        + " values per example; set nIn(" + incoming + ") or leave nIn unset to infer it");
            }
        }
        super.setNIn(inputType, override);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("ContractiveDenseLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        validate(true);
        ContractiveDenseLayerImpl layer = new ContractiveDenseLayerImpl(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return ContractiveParamInitializer.getInstance();
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return ContractiveParamInitializer.VISIBLE_BIAS_KEY.equals(paramName);
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        int updaterStateSize = (int) getIUpdater().stateSize(numParams);
        // Backprop holds z, h, f'(z), f''(z) and delta ([m, nOut] each) besides the epsilon ([m, nIn]).
        long trainPerExample = 5 * outputType.arrayElementsPerExample() + inputType.arrayElementsPerExample();
        if (gamma > 0) {
            // CAE+H: per copy the noise [nIn] and z̃, f(z̃), f'(z̃), f''(z̃), Δ [nOut] each (HigherOrderPenalty).
            trainPerExample += (long) corruptedCopies * (inputType.arrayElementsPerExample() + 5 * outputType.arrayElementsPerExample());
        }
        return new LayerMemoryReport.Builder(layerName, ContractiveDenseLayer.class, inputType, outputType)
                .standardMemory(numParams, updaterStateSize)
                .workingMemory(0, 2 * outputType.arrayElementsPerExample(), 0, trainPerExample)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** Derivatives of this layer's activation; fails with the supported list for any other. */
    @JsonIgnore
    public ActivationDerivatives activationDerivatives() {
        return ActivationDerivatives.of(activationFn);
    }

    public double getLambda() {
        return lambda;
    }

    public void setLambda(double lambda) {
        this.lambda = lambda;
    }

    public boolean hasBias() {
        return hasBias;
    }

    public boolean isHasBias() {
        return hasBias;
    }

    public void setHasBias(boolean hasBias) {
        this.hasBias = hasBias;
    }

    public ILossFunction getReconstructionLoss() {
        return reconstructionLoss;
    }

    public void setReconstructionLoss(ILossFunction reconstructionLoss) {
        this.reconstructionLoss = reconstructionLoss;
    }

    public IActivation getDecoderActivation() {
        return decoderActivation;
    }

    public void setDecoderActivation(IActivation decoderActivation) {
        this.decoderActivation = decoderActivation;
    }

    public double getVisibleBiasInit() {
        return visibleBiasInit;
    }

    public void setVisibleBiasInit(double visibleBiasInit) {
        this.visibleBiasInit = visibleBiasInit;
    }

    public double getCorruptionLevel() {
        return corruptionLevel;
    }

    public void setCorruptionLevel(double corruptionLevel) {
        this.corruptionLevel = corruptionLevel;
    }

    public double getGaussianNoise() {
        return gaussianNoise;
    }

    public void setGaussianNoise(double gaussianNoise) {
        this.gaussianNoise = gaussianNoise;
    }

    public double getGamma() {
        return gamma;
    }

    public void setGamma(double gamma) {
        this.gamma = gamma;
    }

    public double getSigma() {
        return sigma;
    }

    public void setSigma(double sigma) {
        this.sigma = sigma;
    }

    public int getCorruptedCopies() {
        return corruptedCopies;
    }

    public void setCorruptedCopies(int corruptedCopies) {
        this.corruptedCopies = corruptedCopies;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ContractiveDenseLayer other) || !super.equals(o)) {
            return false;
        }
        return Double.compare(lambda, other.lambda) == 0
                && hasBias == other.hasBias
                && Objects.equals(reconstructionLoss, other.reconstructionLoss)
                && Objects.equals(decoderActivation, other.decoderActivation)
                && Double.compare(visibleBiasInit, other.visibleBiasInit) == 0
                && Double.compare(corruptionLevel, other.corruptionLevel) == 0
                && Double.compare(gaussianNoise, other.gaussianNoise) == 0
                && Double.compare(gamma, other.gamma) == 0
                && Double.compare(sigma, other.sigma) == 0
                && corruptedCopies == other.corruptedCopies;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof ContractiveDenseLayer;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), lambda, hasBias, reconstructionLoss, decoderActivation,
                visibleBiasInit, corruptionLevel, gaussianNoise, gamma, sigma, corruptedCopies);
    }

    @Override
    public String toString() {
        return "ContractiveDenseLayer(" + super.toString() + ", lambda=" + lambda + ", hasBias=" + hasBias
                + ", reconstructionLoss=" + reconstructionLoss + ", decoderActivation=" + decoderActivation
                + ", visibleBiasInit=" + visibleBiasInit + ", corruptionLevel=" + corruptionLevel
                + ", gaussianNoise=" + gaussianNoise + ", gamma=" + gamma + ", sigma=" + sigma
                + ", corruptedCopies=" + corruptedCopies + ")";
    }

    /**
     * Builds a {@link ContractiveDenseLayer}. Besides {@link #lambda(double)} and the pretraining
     * settings it offers everything {@code DenseLayer.Builder} does (nIn, nOut, activation, weight
     * init, bias init, l1/l2/weight decay, updater, dropout, constraints).
     */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private double lambda = DEFAULT_LAMBDA;
        private boolean hasBias = true;
        private ILossFunction reconstructionLoss = defaultReconstructionLoss();
        private IActivation decoderActivation = Activation.SIGMOID.getActivationFunction();
        private double visibleBiasInit = 0.0;
        private double corruptionLevel = 0.0;
        private double gaussianNoise = 0.0;
        private double gamma = DEFAULT_GAMMA;
        private double sigma = DEFAULT_SIGMA;
        private int corruptedCopies = DEFAULT_CORRUPTED_COPIES;

        /**
         * Contraction strength λ in {@code [0, }{@value #MAX_LAMBDA}{@code ]} (default {@value #DEFAULT_LAMBDA});
         * 0 gives a plain dense layer.
         */
        public Builder lambda(double lambda) {
            this.lambda = lambda;
            return this;
        }

        /** Whether the layer has a bias {@code b} (default true). */
        public Builder hasBias(boolean hasBias) {
            this.hasBias = hasBias;
            return this;
        }

        /** Reconstruction loss of the tied decoder in layer-wise pretraining (default: binary cross-entropy summed over features). */
        public Builder reconstructionLoss(ILossFunction reconstructionLoss) {
            this.reconstructionLoss = reconstructionLoss;
            return this;
        }

        /** Activation {@code g} of the tied decoder in layer-wise pretraining (default sigmoid). */
        public Builder decoderActivation(Activation decoderActivation) {
            this.decoderActivation = decoderActivation == null ? null : decoderActivation.getActivationFunction();
            return this;
        }

        /** Activation {@code g} of the tied decoder in layer-wise pretraining (default sigmoid). */
        public Builder decoderActivation(IActivation decoderActivation) {
            this.decoderActivation = decoderActivation;
            return this;
        }

        /** Initial value of the tied decoder's visible bias {@code vb} (default 0). */
        public Builder visibleBiasInit(double visibleBiasInit) {
            this.visibleBiasInit = visibleBiasInit;
            return this;
        }

        /**
         * Masking-noise level in training ({@code fit()} and layer-wise pretraining): each input is
         * zeroed with this probability before encoding, kept inputs pass unchanged, and the clean input
         * is reconstructed (a denoising autoencoder). In [0, 1), default 0.
         */
        public Builder corruptionLevel(double corruptionLevel) {
            this.corruptionLevel = corruptionLevel;
            return this;
        }

        /**
         * Additive Gaussian input noise in training ({@code fit()} and layer-wise pretraining):
         * {@code N(0, σ²)} with this standard deviation is added to each input before encoding and the
         * clean input is reconstructed (the paper's DAE-g). Finite and {@code >= 0}, default 0. Applied
         * after masking noise when both are set.
         */
        public Builder gaussianNoise(double standardDeviation) {
            this.gaussianNoise = standardDeviation;
            return this;
        }

        /**
         * Strength γ of the higher-order (CAE+H) term in {@code [0, }{@value #MAX_GAMMA}{@code ]}; default 0,
         * which turns it off. For small σ the term is about {@code γσ²‖∂J/∂x‖²}, so {@code γσ²} is the
         * effective weight: scale γ by {@code 1/σ²} when changing σ.
         */
        public Builder gamma(double gamma) {
            this.gamma = gamma;
            return this;
        }

        /**
         * Standard deviation σ of the Gaussian noise of the CAE+H copies, finite and {@code > 0}
         * (default {@value #DEFAULT_SIGMA}); used only when {@code gamma > 0}.
         */
        public Builder sigma(double sigma) {
            this.sigma = sigma;
            return this;
        }

        /**
         * Number {@code n_c} of noisy copies per example that estimate the CAE+H expectation, in
         * {@code [1, }{@value #MAX_CORRUPTED_COPIES}{@code ]} (default {@value #DEFAULT_CORRUPTED_COPIES});
         * used only when {@code gamma > 0}.
         */
        public Builder corruptedCopies(int corruptedCopies) {
            this.corruptedCopies = corruptedCopies;
            return this;
        }

        /** The three CAE+H settings at once: {@link #gamma}, {@link #sigma}, {@link #corruptedCopies}. */
        public Builder higherOrder(double gamma, double sigma, int corruptedCopies) {
            return gamma(gamma).sigma(sigma).corruptedCopies(corruptedCopies);
        }

        /** @throws IllegalArgumentException if any setting is out of range; the message names it */
        @Override
        @SuppressWarnings("unchecked")
        public ContractiveDenseLayer build() {
            ContractiveDenseLayer layer = new ContractiveDenseLayer(this);
            layer.validate(false);
            return layer;
        }
    }
}

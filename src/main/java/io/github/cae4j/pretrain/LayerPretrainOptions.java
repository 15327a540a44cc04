package io.github.cae4j.pretrain;

import io.github.cae4j.internal.ActivationDerivatives;
import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.losses.ContractiveLossFunction;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * How one autoencoder of a stack is pretrained.
 *
 * @param nOut               hidden units, > 0
 * @param activation         encoder activation (one of {@value ActivationDerivatives#SUPPORTED})
 * @param lambda             contraction strength in [0, {@link ContractiveDenseLayer#MAX_LAMBDA}] (0: a plain autoencoder)
 * @param corruptionLevel    masking-noise level in [0, 1) (> 0: a denoising autoencoder)
 * @param gaussianNoise      standard deviation of additive Gaussian input noise, finite and >= 0 (> 0: the paper's DAE-g).
 *                           Both work with tied and untied decoders: the encoder sees the noisy input in
 *                           training ({@code ContractiveDenseLayer} applies it under {@code fit()} too), the
 *                           decoder reconstructs the clean one, and held-out scores use clean input.
 * @param l2                 weight decay on W, finite and >= 0
 * @param tiedWeights        decoder {@code g(hWᵀ + vb)} (the paper's choice) or a separate decoder layer
 * @param updater            optimiser of this layer's pretraining
 * @param reconstructionLoss reconstruction error (default: cross-entropy summed over features)
 * @param decoderActivation  decoder output activation (default sigmoid, for inputs in [0, 1])
 * @param gamma              strength of the higher-order (CAE+H) term in [0, {@link ContractiveDenseLayer#MAX_GAMMA}] (0: off)
 * @param sigma              standard deviation of the CAE+H noise, finite and > 0
 * @param corruptedCopies    CAE+H noisy copies per example, in [1, {@link ContractiveDenseLayer#MAX_CORRUPTED_COPIES}]
 */
public record LayerPretrainOptions(int nOut, IActivation activation, double lambda, double corruptionLevel, double gaussianNoise, double l2,
                                   boolean tiedWeights, IUpdater updater, ILossFunction reconstructionLoss,
                                   IActivation decoderActivation, double gamma, double sigma, int corruptedCopies) {

    /** Without the higher-order term (γ = 0, the layer's default σ and copies). */
    public LayerPretrainOptions(int nOut, IActivation activation, double lambda, double corruptionLevel, double gaussianNoise, double l2,
                                boolean tiedWeights, IUpdater updater, ILossFunction reconstructionLoss,
                                IActivation decoderActivation) {
        this(nOut, activation, lambda, corruptionLevel, gaussianNoise, l2, tiedWeights, updater, reconstructionLoss, decoderActivation,
                ContractiveDenseLayer.DEFAULT_GAMMA, ContractiveDenseLayer.DEFAULT_SIGMA, ContractiveDenseLayer.DEFAULT_CORRUPTED_COPIES);
    }

    public LayerPretrainOptions {
        String who = "LayerPretrainOptions: ";
        if (nOut <= 0) {
            throw new IllegalArgumentException(who + "nOut must be > 0, got " + nOut);
        }
        String problem = ActivationDerivatives.isSupported(activation) ? null : "activation " + activation
                + " is not supported; supported: " + ActivationDerivatives.SUPPORTED;
        if (problem != null) {
            throw new IllegalArgumentException(who + problem);
        }
        if (!(lambda >= 0 && lambda <= ContractiveDenseLayer.MAX_LAMBDA)) {
            throw new IllegalArgumentException(who + "lambda must be in [0, " + ContractiveDenseLayer.MAX_LAMBDA + "], got " + lambda);
        }
        if (!(corruptionLevel >= 0 && corruptionLevel < 1)) {
            throw new IllegalArgumentException(who + "corruptionLevel must be in [0, 1), got " + corruptionLevel);
        }
        if (!Double.isFinite(gaussianNoise) || gaussianNoise < 0) {
            throw new IllegalArgumentException(who + "gaussianNoise must be finite and >= 0, got " + gaussianNoise);
        }
        if (!Double.isFinite(l2) || l2 < 0) {
            throw new IllegalArgumentException(who + "l2 must be finite and >= 0, got " + l2);
        }
        if (!(gamma >= 0 && gamma <= ContractiveDenseLayer.MAX_GAMMA)) {
            throw new IllegalArgumentException(who + "gamma must be in [0, " + ContractiveDenseLayer.MAX_GAMMA + "], got " + gamma);
        }
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException(who + "sigma must be finite and > 0, got " + sigma);
        }
        if (corruptedCopies < 1 || corruptedCopies > ContractiveDenseLayer.MAX_CORRUPTED_COPIES) {
            throw new IllegalArgumentException(who + "corruptedCopies must be in [1, " + ContractiveDenseLayer.MAX_CORRUPTED_COPIES
                    + "], got " + corruptedCopies);
        }
        if (updater == null || reconstructionLoss == null || decoderActivation == null) {
            throw new IllegalArgumentException(who + "updater, reconstructionLoss and decoderActivation must not be null");
        }
    }

    /** The training settings that are on, for log lines: {@code lambda=1.0, gaussian=0.3, gamma=0.1, sigma=0.3, copies=4}. */
    public String settings() {
        return "lambda=" + lambda + (corruptionLevel > 0 ? ", masking=" + corruptionLevel : "")
                + (gaussianNoise > 0 ? ", gaussian=" + gaussianNoise : "") + (l2 > 0 ? ", l2=" + l2 : "")
                + (gamma > 0 ? ", gamma=" + gamma + ", sigma=" + sigma + ", copies=" + corruptedCopies : "");
    }

    /**
     * A sigmoid CAE layer with the paper's defaults: tied weights, summed cross-entropy, sigmoid
     * decoder, Adam(1e-3), no noise, no weight decay.
     */
    public static LayerPretrainOptions cae(int nOut, double lambda) {
        return new LayerPretrainOptions(nOut, Activation.SIGMOID.getActivationFunction(), lambda, 0.0, 0.0, 0.0, true,
                new Adam(1e-3), new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY),
                Activation.SIGMOID.getActivationFunction());
    }

    /** {@link #cae} with λ = 0: a plain autoencoder. */
    public static LayerPretrainOptions plain(int nOut) {
        return cae(nOut, 0.0);
    }

    /** A plain autoencoder trained on inputs with additive {@code N(0, standardDeviation²)} noise (DAE-g). */
    public static LayerPretrainOptions gaussianDenoising(int nOut, double standardDeviation) {
        return cae(nOut, 0.0).withGaussianNoise(standardDeviation);
    }

    /** A plain autoencoder trained on inputs zeroed with probability {@code corruptionLevel}. */
    public static LayerPretrainOptions denoising(int nOut, double corruptionLevel) {
        return cae(nOut, 0.0).withCorruptionLevel(corruptionLevel);
    }

    public LayerPretrainOptions withLambda(double value) {
        return new LayerPretrainOptions(nOut, activation, value, corruptionLevel, gaussianNoise, l2, tiedWeights, updater, reconstructionLoss, decoderActivation, gamma, sigma, corruptedCopies);
    }

    public LayerPretrainOptions withCorruptionLevel(double value) {
        return new LayerPretrainOptions(nOut, activation, lambda, value, gaussianNoise, l2, tiedWeights, updater, reconstructionLoss, decoderActivation, gamma, sigma, corruptedCopies);
    }

    public LayerPretrainOptions withGaussianNoise(double value) {
        return new LayerPretrainOptions(nOut, activation, lambda, corruptionLevel, value, l2, tiedWeights, updater, reconstructionLoss, decoderActivation, gamma, sigma, corruptedCopies);
    }

    /**
     * The higher-order CAE (CAE+H) term, see {@link ContractiveDenseLayer.Builder#gamma}: strength γ, noise
     * standard deviation σ and the number of noisy copies per example; γ = 0 turns it off.
     */
    public LayerPretrainOptions withHigherOrder(double gamma, double sigma, int corruptedCopies) {
        return new LayerPretrainOptions(nOut, activation, lambda, corruptionLevel, gaussianNoise, l2, tiedWeights, updater,
                reconstructionLoss, decoderActivation, gamma, sigma, corruptedCopies);
    }

    public LayerPretrainOptions withL2(double value) {
        return new LayerPretrainOptions(nOut, activation, lambda, corruptionLevel, gaussianNoise, value, tiedWeights, updater, reconstructionLoss, decoderActivation, gamma, sigma, corruptedCopies);
    }

    public LayerPretrainOptions withTiedWeights(boolean value) {
        return new LayerPretrainOptions(nOut, activation, lambda, corruptionLevel, gaussianNoise, l2, value, updater, reconstructionLoss, decoderActivation, gamma, sigma, corruptedCopies);
    }

    public LayerPretrainOptions withUpdater(IUpdater value) {
        return new LayerPretrainOptions(nOut, activation, lambda, corruptionLevel, gaussianNoise, l2, tiedWeights, value, reconstructionLoss, decoderActivation, gamma, sigma, corruptedCopies);
    }

    public LayerPretrainOptions withActivation(IActivation value) {
        return new LayerPretrainOptions(nOut, value, lambda, corruptionLevel, gaussianNoise, l2, tiedWeights, updater, reconstructionLoss, decoderActivation, gamma, sigma, corruptedCopies);
    }

    public LayerPretrainOptions withReconstructionLoss(ILossFunction value) {
        return new LayerPretrainOptions(nOut, activation, lambda, corruptionLevel, gaussianNoise, l2, tiedWeights, updater, value, decoderActivation, gamma, sigma, corruptedCopies);
    }
}

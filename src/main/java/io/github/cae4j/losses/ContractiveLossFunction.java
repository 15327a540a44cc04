package io.github.cae4j.losses;

import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.layers.DecoderOutputLayer;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossUtil;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Arrays;
import java.util.Objects;

/**
 * Reconstruction term of a contractive autoencoder, for the decoder
 * ({@link io.github.cae4j.layers.DecoderOutputLayer}, DL4J's {@code OutputLayer} or {@code LossLayer})
 * with labels equal to the features. Per example, with {@code x̂ = g(ẑ)}:
 * <pre>
 *   SQUARED_ERROR:         Σ_i (x̂_i − x_i)²
 *   BINARY_CROSS_ENTROPY:  −Σ_i [x_i log x̂_i + (1 − x_i) log(1 − x̂_i)]     (the paper's, for x in [0,1])
 * </pre>
 * summed over the features ({@link Reduction#SUM}, the paper's convention, default) or averaged
 * ({@link Reduction#MEAN}, as in the Keras write-up). The contractive penalty itself cannot live here
 * (a loss function only sees the output layer), so it lives in
 * {@link io.github.cae4j.layers.ContractiveDenseLayer}; the two together are the paper's objective.
 *
 * <p>With a sigmoid output, cross-entropy is computed from the pre-activation as
 * {@code max(ẑ,0) − xẑ + log(1 + e^{−|ẑ|})} and its gradient as {@code σ(ẑ) − x}: exact at any
 * {@code ẑ}, no clipping. With any other output activation {@code x̂} is clipped to
 * {@code [clipEpsilon, 1 − clipEpsilon]} first; set {@code clipEpsilon = 0} for gradient checks.
 * Masks (per example {@code [m,1]} or per output) multiply the per-element terms.
 *
 * <p>Cross-entropy is defined for labels in {@code [0, 1]} (pixel intensities, probabilities); outside
 * that range it can go negative and its minimum is no longer at {@code x̂ = x}. Every call with
 * {@code BINARY_CROSS_ENTROPY} therefore checks the labels' minimum and maximum (two native
 * reductions; entries a mask zeroes are not checked) and throws {@link IllegalArgumentException}
 * naming the range found. Scale the data to [0, 1] or use {@code SQUARED_ERROR}. (NaN labels pass
 * this check; they make the score NaN, which {@link io.github.cae4j.training.NonFiniteScoreGuard} stops.)
 */
public class ContractiveLossFunction implements ILossFunction {

    /** Which reconstruction error. */
    public enum Reconstruction { SQUARED_ERROR, BINARY_CROSS_ENTROPY }

    /** How the per-feature errors of one example are combined. */
    public enum Reduction { SUM, MEAN }

    /** Default clipping for cross-entropy with a non-sigmoid output, as DL4J's {@code LossBinaryXENT}. */
    public static final double DEFAULT_CLIP_EPSILON = 1e-5;

    @JsonProperty("reconstruction")
    private final Reconstruction reconstruction;
    @JsonProperty("reduction")
    private final Reduction reduction;
    @JsonProperty("clipEpsilon")
    private final double clipEpsilon;

    /** Squared error summed over features. */
    public ContractiveLossFunction() {
        this(Reconstruction.SQUARED_ERROR, Reduction.SUM, DEFAULT_CLIP_EPSILON);
    }

    /** {@code reconstruction} summed over features. */
    public ContractiveLossFunction(Reconstruction reconstruction) {
        this(reconstruction, Reduction.SUM, DEFAULT_CLIP_EPSILON);
    }

    /**
     * @param clipEpsilon in {@code [0, 0.5)}
     * @throws IllegalArgumentException for a null enum or a clipEpsilon out of range, naming the value
     */
    @JsonCreator
    public ContractiveLossFunction(@JsonProperty("reconstruction") Reconstruction reconstruction,
                                   @JsonProperty("reduction") Reduction reduction,
                                   @JsonProperty("clipEpsilon") double clipEpsilon) {
        if (reconstruction == null) {
            throw new IllegalArgumentException("ContractiveLossFunction: reconstruction must be one of "
                    + Arrays.toString(Reconstruction.values()) + ", got null");
        }
        if (reduction == null) {
            throw new IllegalArgumentException("ContractiveLossFunction: reduction must be one of "
                    + Arrays.toString(Reduction.values()) + ", got null");
        }
        if (!(clipEpsilon >= 0 && clipEpsilon < 0.5)) {
            throw new IllegalArgumentException("ContractiveLossFunction: clipEpsilon must be in [0, 0.5), got " + clipEpsilon);
        }
        this.reconstruction = reconstruction;
        this.reduction = reduction;
        this.clipEpsilon = clipEpsilon;
    }

    public Reconstruction getReconstruction() {
        return reconstruction;
    }

    public Reduction getReduction() {
        return reduction;
    }

    public double getClipEpsilon() {
        return clipEpsilon;
    }

    /** Per-element loss {@code [m, nOut]}, masked and reduced-scaled; does not modify its arguments. */
    private INDArray perElementScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        checkShapes(labels, preOutput);
        checkLabelRange(labels, mask);
        return uncheckedPerElementScore(labels, preOutput, activationFn, mask);
    }

    private INDArray uncheckedPerElementScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray y = labels.castTo(preOutput.dataType());
        INDArray scores;
        if (reconstruction == Reconstruction.SQUARED_ERROR) {
            scores = activationFn.getActivation(preOutput.dup(), true).subi(y);
            scores.muli(scores);
        } else if (activationFn instanceof ActivationSigmoid) {
            INDArray z = preOutput;
            // log(1 + e^(-|z|)) as libnd4j's softplus of a non-positive argument: the same float operations
            // as log(exp(.) + 1) in one native op instead of three
            INDArray logTerm = Transforms.softPlus(Transforms.abs(z, true).negi(), false);
            scores = Transforms.relu(z, true).subi(y.mul(z)).addi(logTerm);
        } else {
            INDArray out = clippedOutput(preOutput, activationFn);
            INDArray logOut = Transforms.log(out, true);
            INDArray logOneMinus = Transforms.log(out.rsub(1.0), false);
            scores = logOut.muli(y).addi(logOneMinus.muli(y.rsub(1.0))).negi();
        }
        return scaleAndMask(scores, mask);
    }

    private INDArray clippedOutput(INDArray preOutput, IActivation activationFn) {
        INDArray out = activationFn.getActivation(preOutput.dup(), true);
        if (clipEpsilon > 0) {
            Transforms.max(out, clipEpsilon, false);
            Transforms.min(out, 1.0 - clipEpsilon, false);
        }
        return out;
    }

    private INDArray scaleAndMask(INDArray perElement, INDArray mask) {
        if (reduction == Reduction.MEAN) {
            perElement.divi(perElement.size(1));
        }
        if (mask != null) {
            LossUtil.applyMask(perElement, mask);
        }
        return perElement;
    }

    private static void checkShapes(INDArray labels, INDArray preOutput) {
        if (!Arrays.equals(labels.shape(), preOutput.shape())) {
            throw new IllegalArgumentException("ContractiveLossFunction: labels shape " + Arrays.toString(labels.shape())
                    + " does not match the network output shape " + Arrays.toString(preOutput.shape())
                    + "; for an autoencoder the labels are the features and the decoder's nOut equals the input size");
        }
    }

    /** Cross-entropy only: the labels (where the mask is not 0) must lie in [0, 1]. */
    private void checkLabelRange(INDArray labels, INDArray mask) {
        if (reconstruction != Reconstruction.BINARY_CROSS_ENTROPY) {
            return;
        }
        // masked-out entries may hold anything; multiplying by the mask turns them into 0, which is allowed
        INDArray checked = labels;
        if (mask != null) {
            checked = labels.dup();
            LossUtil.applyMask(checked, mask);
        }
        double min = checked.minNumber().doubleValue();
        double max = checked.maxNumber().doubleValue();
        if (!(min >= 0 && max <= 1)) {
            throw new IllegalArgumentException("ContractiveLossFunction: BINARY_CROSS_ENTROPY needs labels in [0, 1], got labels in ["
                    + min + ", " + max + "]; scale the data to [0, 1] or use SQUARED_ERROR");
        }
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double sum = perElementScore(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    /** @return per-example loss {@code [m, 1]} */
    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return perElementScore(labels, preOutput, activationFn, mask).sum(true, 1);
    }

    /** @return {@code ∂loss/∂preOutput} {@code [m, nOut]}, summed (not averaged) over examples */
    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        checkShapes(labels, preOutput);
        checkLabelRange(labels, mask);
        return uncheckedGradient(labels, preOutput, activationFn, mask);
    }

    private INDArray uncheckedGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray y = labels.castTo(preOutput.dataType());
        INDArray grad;
        if (reconstruction == Reconstruction.BINARY_CROSS_ENTROPY && activationFn instanceof ActivationSigmoid) {
            grad = Transforms.sigmoid(preOutput, true).subi(y);
        } else {
            INDArray dLdOut;
            if (reconstruction == Reconstruction.SQUARED_ERROR) {
                dLdOut = activationFn.getActivation(preOutput.dup(), true).subi(y).muli(2.0);
            } else {
                INDArray out = clippedOutput(preOutput, activationFn);
                // d/dx̂ of −[y log x̂ + (1−y) log(1−x̂)] = (x̂ − y) / (x̂ (1 − x̂))
                dLdOut = out.sub(y).divi(out.rsub(1.0).muli(out));
            }
            grad = activationFn.backprop(preOutput.dup(), dLdOut).getFirst();
        }
        return scaleAndMask(grad, mask);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        // The labels are checked once per step, not once for the score and again for the gradient (two reductions each).
        checkShapes(labels, preOutput);
        checkLabelRange(labels, mask);
        double sum = uncheckedPerElementScore(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return new Pair<>(average ? sum / preOutput.size(0) : sum, uncheckedGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContractiveLossFunction other && reconstruction == other.reconstruction
                && reduction == other.reduction && Double.compare(clipEpsilon, other.clipEpsilon) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(reconstruction, reduction, clipEpsilon);
    }

    @Override
    public String toString() {
        return "ContractiveLossFunction(reconstruction=" + reconstruction + ", reduction=" + reduction
                + ", clipEpsilon=" + clipEpsilon + ")";
    }
}

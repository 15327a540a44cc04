package io.github.cae4j.pretrain;

import io.github.cae4j.diagnostics.JacobianNorms;
import io.github.cae4j.internal.VectorBroadcasts;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * One trained autoencoder of a stack, detached from any network: encoder {@code h = f(xW + b)} and
 * decoder {@code x̂ = g(h·decoderW + decoderB)}; for tied weights {@code decoderW = Wᵀ}.
 *
 * @param W               {@code [nIn, nOut]}
 * @param b               {@code [nOut]}
 * @param decoderW        {@code [nOut, nIn]}
 * @param decoderB        {@code [nIn]}
 * @param reconstructionLoss the loss it was trained with
 */
public record PretrainedAutoencoder(INDArray W, INDArray b, IActivation activation, INDArray decoderW, INDArray decoderB,
                                    IActivation decoderActivation, ILossFunction reconstructionLoss) {

    /** @throws IllegalArgumentException naming the array whose shape does not fit W's {@code [nIn, nOut]} */
    public PretrainedAutoencoder {
        if (W == null || W.rank() != 2) {
            throw new IllegalArgumentException("PretrainedAutoencoder: W must be a matrix [nIn, nOut], got "
                    + (W == null ? "null" : java.util.Arrays.toString(W.shape())));
        }
        long nIn = W.size(0);
        long nOut = W.size(1);
        requireShape("b", b, nOut);
        requireShape("decoderB", decoderB, nIn);
        if (decoderW == null || decoderW.rank() != 2 || decoderW.size(0) != nOut || decoderW.size(1) != nIn) {
            throw new IllegalArgumentException("PretrainedAutoencoder: decoderW must be [" + nOut + ", " + nIn
                    + "] (the decoder maps the " + nOut + " hidden units back to the " + nIn + " inputs), got "
                    + (decoderW == null ? "null" : java.util.Arrays.toString(decoderW.shape())));
        }
        if (activation == null || decoderActivation == null || reconstructionLoss == null) {
            throw new IllegalArgumentException("PretrainedAutoencoder: activation, decoderActivation and reconstructionLoss must be set");
        }
    }

    private static void requireShape(String name, INDArray v, long length) {
        if (v == null || v.length() != length) {
            throw new IllegalArgumentException("PretrainedAutoencoder: " + name + " must hold " + length + " values, got "
                    + (v == null ? "null" : java.util.Arrays.toString(v.shape())));
        }
    }

    /** Hidden representation {@code [m, nOut]}. */
    public INDArray encode(INDArray x) {
        INDArray z = VectorBroadcasts.addiRowVector(x.castTo(W.dataType()).mmul(W), b);
        return activation.getActivation(z, false);
    }

    /** Reconstruction {@code [m, nIn]}. */
    public INDArray reconstruct(INDArray x) {
        return decoderActivation.getActivation(decoderPreOutput(encode(x)), false);
    }

    private INDArray decoderPreOutput(INDArray h) {
        return VectorBroadcasts.addiRowVector(h.mmul(decoderW), decoderB);
    }

    /** Mean per example of the reconstruction loss. */
    public double reconstructionError(INDArray x) {
        INDArray xd = x.castTo(W.dataType());
        return reconstructionLoss.computeScore(xd, decoderPreOutput(encode(xd)), decoderActivation, null, true);
    }

    /** Per-example {@code ‖J_f(x)‖²_F}, {@code [m]}. */
    public INDArray jacobianFrobeniusSquared(INDArray x) {
        return JacobianNorms.frobeniusSquared(x, W, b, activation);
    }

    public long nIn() {
        return W.size(0);
    }

    public long nOut() {
        return W.size(1);
    }
}

package io.github.cae4j.layers;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A denoising autoencoder's input corruption (Vincent et al., ICML 2008), as {@link ContractiveDenseLayer}
 * configures it: {@code x̃ = keep ⊙ x + σε} with {@code keep_i ~ Bernoulli(1 − corruptionLevel)} (masking
 * noise: a dropped input is set to 0, a kept one passes unchanged, no rescaling) and
 * {@code ε_i ~ N(0, 1)} ({@code σ = gaussianNoise}). Draws from ND4J's global generator, so a seeded
 * network is reproducible and a gradient check that reseeds it sees the same noise in every pass.
 */
final class InputNoise {

    /**
     * @param input    {@code x̃}
     * @param keepMask {@code keep}, 0/1 in the input's data type, or null without masking noise;
     *                 {@code ∂x̃/∂x = keep}, which backprop multiplies into the epsilon it passes down
     */
    record Noisy(INDArray input, INDArray keepMask) {
    }

    private InputNoise() {
    }

    static boolean isConfigured(ContractiveDenseLayer conf) {
        return conf.getCorruptionLevel() > 0 || conf.getGaussianNoise() > 0;
    }

    /**
     * {@code x̃} and its keep mask, both in the INPUT workspace (they must live until backprop, as DL4J's
     * dropout mask does). Never modifies {@code x}.
     *
     * @param x input {@code [m, nIn]}
     */
    static Noisy apply(INDArray x, ContractiveDenseLayer conf, LayerWorkspaceMgr workspaceMgr) {
        INDArray xTilde = x;
        INDArray keep = null;
        if (conf.getCorruptionLevel() > 0) {
            keep = Nd4j.rand(workspaceMgr.createUninitialized(ArrayType.INPUT, x.dataType(), x.shape(), x.ordering()));
            Transforms.step(keep.subi(conf.getCorruptionLevel()), false);     // 1 where u > corruptionLevel, else 0
            xTilde = x.mul(keep, workspaceMgr.createUninitialized(ArrayType.INPUT, x.dataType(), x.shape(), x.ordering()));
        }
        if (conf.getGaussianNoise() > 0) {
            INDArray noise = Nd4j.randn(x.dataType(), x.shape()).muli(conf.getGaussianNoise());
            xTilde = xTilde == x
                    ? x.add(noise, workspaceMgr.createUninitialized(ArrayType.INPUT, x.dataType(), x.shape(), x.ordering()))
                    : xTilde.addi(noise);
        }
        return new Noisy(xTilde, keep);
    }
}

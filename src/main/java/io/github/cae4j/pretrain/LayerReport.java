package io.github.cae4j.pretrain;

import java.util.Map;

/**
 * What pretraining one layer produced, measured on held-out data.
 *
 * @param layer                   0-based position in the stack
 * @param corruptionLevel         masking-noise level it was trained with
 * @param gaussianNoise           standard deviation of the Gaussian input noise it was trained with
 * @param heldOutReconstruction   mean reconstruction loss per example
 * @param heldOutMeanJacobianNorm mean {@code ‖J_f(x)‖_F} (not squared)
 * @param epochs                  epochs run
 * @param bestEpoch               0-based epoch whose model was kept
 * @param seconds                 wall time
 * @param heldOutScoreByEpoch     the early-stopping score of every epoch
 */
public record LayerReport(int layer, long nIn, long nOut, double lambda, double corruptionLevel, double gaussianNoise,
                          double heldOutReconstruction, double heldOutMeanJacobianNorm, int epochs, int bestEpoch,
                          double seconds, Map<Integer, Double> heldOutScoreByEpoch) {

    /** The same report for the layer at another position of a stack. */
    public LayerReport atLayer(int position) {
        return new LayerReport(position, nIn, nOut, lambda, corruptionLevel, gaussianNoise, heldOutReconstruction,
                heldOutMeanJacobianNorm, epochs, bestEpoch, seconds, heldOutScoreByEpoch);
    }
}

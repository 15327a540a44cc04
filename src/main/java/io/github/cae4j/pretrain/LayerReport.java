package io.github.cae4j.pretrain;

import java.util.Map;

/**
 * What pretraining one layer produced, measured on held-out data.
 *
 * @param layer                   0-based position in the stack
 * @param corruptionLevel         masking-noise level it was trained with
 * @param gaussianNoise           standard deviation of the Gaussian input noise it was trained with
 * @param gamma                   weight γ of the higher-order (CAE+H) term it was trained with, 0 for none
 *                                (its σ and number of copies are in the layer's {@link LayerPretrainOptions})
 * @param heldOutReconstruction   mean reconstruction loss per example
 * @param heldOutMeanJacobianNorm mean {@code ‖J_f(x)‖_F} (not squared)
 * @param epochs                  epochs run
 * @param bestEpoch               0-based epoch whose model was kept
 * @param seconds                 wall time
 * @param heldOutScoreByEpoch     the early-stopping score of every epoch
 */
public record LayerReport(int layer, long nIn, long nOut, double lambda, double corruptionLevel, double gaussianNoise,
                          double gamma, double heldOutReconstruction, double heldOutMeanJacobianNorm, int epochs,
                          int bestEpoch, double seconds, Map<Integer, Double> heldOutScoreByEpoch) {

    /** A report of a layer trained without the higher-order term (γ = 0). */
    public LayerReport(int layer, long nIn, long nOut, double lambda, double corruptionLevel, double gaussianNoise,
                       double heldOutReconstruction, double heldOutMeanJacobianNorm, int epochs, int bestEpoch,
                       double seconds, Map<Integer, Double> heldOutScoreByEpoch) {
        this(layer, nIn, nOut, lambda, corruptionLevel, gaussianNoise, 0.0, heldOutReconstruction, heldOutMeanJacobianNorm,
                epochs, bestEpoch, seconds, heldOutScoreByEpoch);
    }

    /** The same report for the layer at another position of a stack. */
    public LayerReport atLayer(int position) {
        return new LayerReport(position, nIn, nOut, lambda, corruptionLevel, gaussianNoise, gamma, heldOutReconstruction,
                heldOutMeanJacobianNorm, epochs, bestEpoch, seconds, heldOutScoreByEpoch);
    }
}

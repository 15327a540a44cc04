package io.github.cae4j.pretrain;

import java.util.Map;

/**
 * What pretraining one layer produced, measured on held-out data.
 *
 * @param layer                   0-based position in the stack
 * @param heldOutReconstruction   mean reconstruction loss per example
 * @param heldOutMeanJacobianNorm mean {@code ‖J_f(x)‖_F} (not squared)
 * @param epochs                  epochs run
 * @param bestEpoch               0-based epoch whose model was kept
 * @param seconds                 wall time
 * @param heldOutScoreByEpoch     the early-stopping score of every epoch
 */
public record LayerReport(int layer, long nIn, long nOut, double lambda, double corruptionLevel,
                          double heldOutReconstruction, double heldOutMeanJacobianNorm, int epochs, int bestEpoch,
                          double seconds, Map<Integer, Double> heldOutScoreByEpoch) {
}

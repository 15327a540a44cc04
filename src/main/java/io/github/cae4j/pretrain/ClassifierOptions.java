package io.github.cae4j.pretrain;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The supervised network built on a pretrained stack.
 *
 * @param nClasses output classes, >= 2
 * @param updater  fine-tuning optimiser
 * @param l2       weight decay during fine-tuning, finite and >= 0
 * @param seed     seeds the new output layer's initialisation
 */
public record ClassifierOptions(int nClasses, IUpdater updater, double l2, long seed, DataType dataType) {

    public ClassifierOptions {
        if (nClasses < 2) {
            throw new IllegalArgumentException("ClassifierOptions: nClasses must be >= 2, got " + nClasses);
        }
        if (updater == null || dataType == null) {
            throw new IllegalArgumentException("ClassifierOptions: updater and dataType must not be null");
        }
        if (!Double.isFinite(l2) || l2 < 0) {
            throw new IllegalArgumentException("ClassifierOptions: l2 must be finite and >= 0, got " + l2);
        }
    }
}

package io.github.cae4j.pretrain;

/**
 * When each layer's pretraining stops: early stopping on the held-out objective.
 *
 * @param batchSize minibatch size, > 0
 * @param maxEpochs epoch limit per layer, > 0
 * @param patience  stop after this many epochs without improvement, > 0
 * @param seed      seeds initialisation, shuffling and noise; layer k uses {@code seed + k}
 */
public record PretrainSchedule(int batchSize, int maxEpochs, int patience, long seed) {

    public PretrainSchedule {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("PretrainSchedule: batchSize must be > 0, got " + batchSize);
        }
        if (maxEpochs <= 0) {
            throw new IllegalArgumentException("PretrainSchedule: maxEpochs must be > 0, got " + maxEpochs);
        }
        if (patience <= 0) {
            throw new IllegalArgumentException("PretrainSchedule: patience must be > 0, got " + patience);
        }
    }
}

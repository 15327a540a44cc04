package io.github.cae4j.examples.data;

import io.github.cae4j.training.ShuffledBatchIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Train, validation and test digits: features FLOAT {@code [n, 784]} in [0, 1], labels one-hot
 * {@code [n, 10]}. The test split is only ever used to report final models.
 */
public record MnistSplits(INDArray trainX, INDArray trainY, INDArray validX, INDArray validY,
                          INDArray testX, INDArray testY, String source) {

    /** Labelled training minibatches, reshuffled from {@code seed} at every epoch. */
    public DataSetIterator trainIterator(int batchSize, long seed) {
        return new ShuffledBatchIterator(trainX, trainY, batchSize, seed, true);
    }

    /** Training minibatches with labels = features, for pretraining an autoencoder. */
    public DataSetIterator unlabelledTrainIterator(int batchSize, long seed) {
        return ShuffledBatchIterator.autoencoder(trainX, batchSize, seed, true);
    }

    /** Validation minibatches in a fixed order. */
    public DataSetIterator validIterator(int batchSize) {
        return new ShuffledBatchIterator(validX, validY, batchSize, 0, false);
    }

    /** Test minibatches in a fixed order; for reporting final models only. */
    public DataSetIterator testIterator(int batchSize) {
        return new ShuffledBatchIterator(testX, testY, batchSize, 0, false);
    }
}

package io.github.cae4j.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Train, validation and test digits: features FLOAT {@code [n, 784]} in [0, 1], labels one-hot
 * {@code [n, 10]}. The test split is only ever used to report final models.
 */
public record MnistSplits(INDArray trainX, INDArray trainY, INDArray validX, INDArray validY,
                          INDArray testX, INDArray testY, String source) {
}

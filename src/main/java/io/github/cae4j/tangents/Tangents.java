package io.github.cae4j.tangents;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * The leading k singular values and right singular vectors (tangent directions in input space) of
 * the encoder stack's Jacobian at each of n examples.
 *
 * <p>Stored in full, in the data type they were computed in: {@code n·k·d} numbers for the vectors,
 * e.g. 50,000 MNIST digits x 784 x 4 bytes = 157 MB per tangent in FLOAT (1.57 GB at k = 10). Use
 * {@link #castTo} with HALF to halve that; for larger n, compute them per minibatch instead
 * (docs/tangents.md compares the two).
 *
 * @param values  {@code [n, k]}, each row in descending order, >= 0
 * @param vectors {@code [n, k, d]}, row {@code [e, j, :]} the unit vector of singular value {@code values[e, j]},
 *                its sign chosen so that its entries sum to >= 0
 */
public record Tangents(INDArray values, INDArray vectors) {

    /** @throws IllegalArgumentException when the shapes do not agree */
    public Tangents {
        if (values == null || vectors == null || values.rank() != 2 || vectors.rank() != 3
                || values.size(0) != vectors.size(0) || values.size(1) != vectors.size(1)) {
            throw new IllegalArgumentException("Tangents: values must be [n, k] and vectors [n, k, d], got "
                    + (values == null ? "null" : Arrays.toString(values.shape())) + " and "
                    + (vectors == null ? "null" : Arrays.toString(vectors.shape())));
        }
    }

    /** Number of examples n. */
    public long size() {
        return values.size(0);
    }

    /** Tangents per example k. */
    public int k() {
        return (int) values.size(1);
    }

    /** Input width d. */
    public long inputWidth() {
        return vectors.size(2);
    }

    /** The vectors of each example side by side, {@code [n, k·d]}: {@code [u_1 | ... | u_k]} per row. */
    public INDArray flattened() {
        return vectors.reshape('c', size(), (long) k() * inputWidth());
    }

    /** The same tangents stored in another data type (HALF halves the memory of FLOAT). */
    public Tangents castTo(org.nd4j.linalg.api.buffer.DataType dataType) {
        return new Tangents(values.castTo(dataType), vectors.castTo(dataType));
    }
}

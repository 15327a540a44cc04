package io.github.cae4j.training;

import io.github.cae4j.internal.EpochOrdering;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * Minibatches of an in-memory data set, reshuffled at every {@link #reset()} from a seed, so that a
 * run is repeatable and each epoch sees a different order. With {@link #autoencoder} the labels are
 * the features, the setting of a reconstruction objective. Rows are gathered with one
 * {@code pullRows} per batch.
 */
public final class ShuffledBatchIterator implements DataSetIterator {

    private final INDArray features;
    private final INDArray labels;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private int[] order;
    private int cursor;
    private int epoch;
    private DataSetPreProcessor preProcessor;

    /**
     * @param features {@code [n, nIn]}, n > 0
     * @param labels   {@code [n, nOut]}, or null to use the features as labels
     * @param shuffle  false keeps the data set's order (validation and test)
     */
    public ShuffledBatchIterator(INDArray features, INDArray labels, int batchSize, long seed, boolean shuffle) {
        if (features == null || features.rank() != 2 || features.size(0) == 0) {
            throw new IllegalArgumentException("features must be a non-empty matrix [n, nIn], got "
                    + (features == null ? "null" : java.util.Arrays.toString(features.shape())));
        }
        if (labels != null && labels.size(0) != features.size(0)) {
            throw new IllegalArgumentException("labels have " + labels.size(0) + " rows but features have " + features.size(0));
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
        }
        this.features = features;
        this.labels = labels;
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
        this.order = ordering(0);
    }

    /** Labels = features. */
    public static ShuffledBatchIterator autoencoder(INDArray features, int batchSize, long seed, boolean shuffle) {
        return new ShuffledBatchIterator(features, null, batchSize, seed, shuffle);
    }

    public static ShuffledBatchIterator of(DataSet ds, int batchSize, long seed, boolean shuffle) {
        return new ShuffledBatchIterator(ds.getFeatures(), ds.getLabels(), batchSize, seed, shuffle);
    }

    private int[] ordering(int epochIndex) {
        return EpochOrdering.of((int) features.size(0), seed, epochIndex, shuffle);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("no more batches; call reset()");
        }
        int end = Math.min(cursor + num, order.length);
        int[] rows = java.util.Arrays.copyOfRange(order, cursor, end);
        cursor = end;
        INDArray f = Nd4j.pullRows(features, 1, rows);
        INDArray l = labels == null ? f.dup() : Nd4j.pullRows(labels, 1, rows);
        DataSet ds = new DataSet(f, l);
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    /**
     * Positions the iterator at the start of epoch {@code epoch} (0-based), with the order that
     * epoch always has for this seed; what a resumed run needs.
     */
    public void seekEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        this.epoch = epoch;
        order = ordering(epoch);
        cursor = 0;
    }

    @Override
    public void reset() {
        epoch++;
        order = ordering(epoch);
        cursor = 0;
    }

    /** Number of examples. */
    public int numExamples() {
        return order.length;
    }

    @Override
    public int inputColumns() {
        return (int) features.size(1);
    }

    @Override
    public int totalOutcomes() {
        return (int) (labels == null ? features.size(1) : labels.size(1));
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}

package io.github.cae4j.tangents;

import io.github.cae4j.internal.EpochOrdering;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Minibatches whose features are each example's input followed by its k tangents,
 * {@code [x | u_1 | ... | u_k]} ({@code [m, (1+k)·d]}), and whose labels are unchanged: the input a
 * network of {@code TangentPropDenseLayer}s and a {@code TangentPropOutputLayer} trains on. Because
 * the tangents travel inside an ordinary {@link DataSet}, DL4J's {@code fit}, listeners and early
 * stopping work unchanged.
 *
 * <p>Two sources of tangents:
 * <ul>
 *   <li>stored ({@link #TangentAppendingIterator(INDArray, INDArray, Tangents, int, long, boolean)}):
 *       computed once for the whole training set, rows gathered per batch; reshuffled at every
 *       {@link #reset()} from the seed, as {@code ShuffledBatchIterator};</li>
 *   <li>streamed ({@link #streaming}): computed for each minibatch of another iterator as it comes,
 *       no memory beyond the batch, at the cost of recomputing them every epoch.</li>
 * </ul>
 */
public final class TangentAppendingIterator implements DataSetIterator {

    private final INDArray features;
    private final INDArray labels;
    private final INDArray tangents;
    private final int k;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final DataSetIterator base;
    private final ManifoldTangents computer;
    private int[] order;
    private int cursor;
    private int epoch;

    /**
     * @param features {@code [n, d]}
     * @param labels   {@code [n, classes]}
     * @param tangents the tangents of exactly these n rows, in the same order
     * @param shuffle  false keeps the data set's order
     * @throws IllegalArgumentException when the row counts or widths disagree, naming both
     */
    public TangentAppendingIterator(INDArray features, INDArray labels, Tangents tangents, int batchSize, long seed, boolean shuffle) {
        if (features == null || features.rank() != 2 || features.size(0) == 0) {
            throw new IllegalArgumentException("TangentAppendingIterator: features must be a non-empty matrix [n, d], got "
                    + (features == null ? "null" : Arrays.toString(features.shape())));
        }
        if (labels == null || labels.size(0) != features.size(0)) {
            throw new IllegalArgumentException("TangentAppendingIterator: labels must have one row per feature row (" + features.size(0)
                    + "), got " + (labels == null ? "null" : Arrays.toString(labels.shape())));
        }
        if (tangents == null || tangents.size() != features.size(0) || tangents.inputWidth() != features.size(1)) {
            throw new IllegalArgumentException("TangentAppendingIterator: tangents must be those of the " + features.size(0)
                    + " feature rows of width " + features.size(1) + ", got " + (tangents == null ? "null"
                    : tangents.size() + " rows of width " + tangents.inputWidth()));
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("TangentAppendingIterator: batchSize must be > 0, got " + batchSize);
        }
        this.features = features;
        this.labels = labels;
        this.tangents = tangents.flattened().castTo(features.dataType());
        this.k = tangents.k();
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
        this.base = null;
        this.computer = null;
        this.order = ordering(0);
    }

    private TangentAppendingIterator(DataSetIterator base, ManifoldTangents computer) {
        this.features = null;
        this.labels = null;
        this.tangents = null;
        this.k = computer.options().k();
        this.batchSize = base.batch();
        this.seed = 0;
        this.shuffle = false;
        this.base = base;
        this.computer = computer;
    }

    /** Tangents computed for each minibatch of {@code base} as it is drawn (base's order and resets). */
    public static TangentAppendingIterator streaming(DataSetIterator base, ManifoldTangents tangents) {
        if (base == null || tangents == null) {
            throw new IllegalArgumentException("TangentAppendingIterator: base iterator and tangents must not be null");
        }
        return new TangentAppendingIterator(base, tangents);
    }

    /** Tangents per example k. */
    public int tangentsPerExample() {
        return k;
    }

    private int[] ordering(int epochIndex) {
        return EpochOrdering.of((int) features.size(0), seed, epochIndex, shuffle);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("no more batches; call reset()");
        }
        DataSet ds;
        if (base != null) {
            DataSet b = base.next(num);
            INDArray x = b.getFeatures();
            INDArray u = computer.compute(x).flattened().castTo(x.dataType());
            ds = new DataSet(Nd4j.hstack(x, u), b.getLabels());
        } else {
            int end = Math.min(cursor + num, order.length);
            int[] rows = Arrays.copyOfRange(order, cursor, end);
            cursor = end;
            ds = new DataSet(Nd4j.hstack(Nd4j.pullRows(features, 1, rows), Nd4j.pullRows(tangents, 1, rows)),
                    Nd4j.pullRows(labels, 1, rows));
        }
        return ds;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public boolean hasNext() {
        return base != null ? base.hasNext() : cursor < order.length;
    }

    @Override
    public void reset() {
        if (base != null) {
            base.reset();
            return;
        }
        epoch++;
        order = ordering(epoch);
        cursor = 0;
    }

    @Override
    public int inputColumns() {
        return (int) ((1 + k) * (base != null ? computer.inputWidth() : features.size(1)));
    }

    @Override
    public int totalOutcomes() {
        return base != null ? base.totalOutcomes() : (int) labels.size(1);
    }

    @Override
    public boolean resetSupported() {
        return base == null || base.resetSupported();
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    /**
     * Refuses a pre-processor: it would see the features and the appended tangents as one array, and a
     * standardiser would shift the tangents, which are directions. Normalise the features before the
     * tangents are computed, or give the base iterator the pre-processor (the tangents are then
     * computed from its output).
     *
     * @throws UnsupportedOperationException for any non-null pre-processor
     */
    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        if (preProcessor != null) {
            throw new UnsupportedOperationException("TangentAppendingIterator: a DataSetPreProcessor ("
                    + preProcessor.getClass().getSimpleName() + ") would also transform the appended tangents (a standardiser "
                    + "would shift directions); normalise the features before computing the tangents, or set it on the base iterator");
        }
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return null;    // none is ever accepted (setPreProcessor)
    }

    @Override
    public List<String> getLabels() {
        return base != null ? base.getLabels() : null;
    }
}

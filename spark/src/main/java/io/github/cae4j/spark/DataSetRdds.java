package io.github.cae4j.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;

/**
 * RDDs of minibatches, the form {@link DistributedTraining} trains on: one {@link DataSet} of
 * {@code batchSize} examples per record (the last may be smaller), as DL4J's Spark guide advises
 * (one record per example would make every worker stack them again at every step).
 */
public final class DataSetRdds {

    private DataSetRdds() {
    }

    /**
     * The minibatches of {@code x} (and {@code y}), in order, as a list the driver can also fit on one
     * JVM. Each is a copy, so serialising one sends its own rows, not the whole matrix.
     *
     * @param y labels {@code [n, nOut]}, or null for an autoencoder (labels = features)
     */
    public static List<DataSet> minibatches(INDArray x, INDArray y, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
        }
        if (y != null && y.size(0) != x.size(0)) {
            throw new IllegalArgumentException("features have " + x.size(0) + " rows but labels " + y.size(0));
        }
        List<DataSet> out = new ArrayList<>();
        for (long from = 0; from < x.size(0); from += batchSize) {
            long to = Math.min(x.size(0), from + batchSize);
            INDArray xb = x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup();
            INDArray yb = y == null ? xb : y.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup();
            out.add(new DataSet(xb, yb));
        }
        return out;
    }

    /** {@link #minibatches} spread over {@code partitions} partitions. */
    public static JavaRDD<DataSet> rdd(JavaSparkContext sc, List<DataSet> minibatches, int partitions) {
        return sc.parallelize(minibatches, partitions);
    }

    /**
     * Replaces every record's features by an encoder's code {@code f(xW + b)} on the executors, with
     * labels = the code (the input of the next autoencoder of a stack). W and b travel inside the
     * function, serialised once per task; for encoders of many MB, broadcast them instead.
     */
    public static JavaRDD<DataSet> encode(JavaRDD<DataSet> data, INDArray W, INDArray b, IActivation activation) {
        return data.map(new Encode(W.dup(), b.dup(), activation));
    }

    /** The encoder of {@link #encode}: Spark's closures are Java-serialised, and INDArray and IActivation are Serializable. */
    private record Encode(INDArray W, INDArray b, IActivation activation) implements Function<DataSet, DataSet> {
        @Override
        public DataSet call(DataSet ds) {
            INDArray x = ds.getFeatures().castTo(W.dataType());
            INDArray h = activation.getActivation(x.mmul(W).addiRowVector(b), false);
            return new DataSet(h, h);
        }
    }
}

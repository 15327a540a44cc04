package io.github.cae4j.spark;

import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * Checks an RDD of minibatches before training, in one pass over it: every record must be a
 * {@code [m, nIn]} feature matrix with {@code m >= 1}, finite values and the same feature and label
 * width as every other record. Parameter averaging would otherwise fail deep inside a worker with a
 * shape error, or, for a NaN, average it silently into every parameter.
 * Empty partitions are fine (a worker with nothing to do returns no update), an empty RDD is not.
 */
public final class TrainingDataCheck {

    private TrainingDataCheck() {
    }

    /** What the check found: one width each, the record and example counts. */
    public record Summary(long featureWidth, long labelWidth, long records, long examples, int emptyPartitions) {
    }

    /*
     * The two classes below travel from the executors in Spark's task results, which Kryo serialises:
     * Kryo 4 (Spark's) cannot build a field serializer for a Java record ("can't get field offset on a
     * record class"), so they are plain classes.
     */

    /** A record's feature and label column counts. */
    private static final class Width implements Comparable<Width>, Serializable {
        final long features;
        final long labels;

        Width(long features, long labels) {
            this.features = features;
            this.labels = labels;
        }

        @Override
        public int compareTo(Width o) {
            int c = Long.compare(features, o.features);
            return c != 0 ? c : Long.compare(labels, o.labels);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Width w && compareTo(w) == 0;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(features) * 31 + Long.hashCode(labels);
        }

        @Override
        public String toString() {
            return features + " feature / " + labels + " label columns";
        }
    }

    /** Widths seen in one partition, each with the first record that had it ("partition p, record r"). */
    private static final class PartitionStats implements Serializable {
        final TreeMap<Width, String> widths;
        final ArrayList<String> problems;
        final long records;
        final long examples;

        PartitionStats(TreeMap<Width, String> widths, ArrayList<String> problems, long records, long examples) {
            this.widths = widths;
            this.problems = problems;
            this.records = records;
            this.examples = examples;
        }
    }

    /**
     * @throws IllegalArgumentException naming the widths found and one record of each, or a record with
     *                                  no rows, a non-matrix shape or NaN/Inf, or the RDD being empty
     */
    public static Summary check(JavaRDD<DataSet> data) {
        List<PartitionStats> parts = data.mapPartitionsWithIndex(TrainingDataCheck::scan, false).collect();
        TreeMap<Width, String> widths = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        long records = 0;
        long examples = 0;
        int empty = 0;
        for (PartitionStats p : parts) {
            p.widths.forEach(widths::putIfAbsent);
            problems.addAll(p.problems);
            records += p.records;
            examples += p.examples;
            empty += p.records == 0 ? 1 : 0;
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("training RDD: " + problems.size() + " bad record(s), e.g. " + problems.get(0));
        }
        if (records == 0) {
            throw new IllegalArgumentException("training RDD is empty (" + parts.size() + " partitions, no DataSet in any)");
        }
        if (widths.size() > 1) {
            StringBuilder sb = new StringBuilder("training RDD: records of different widths; every DataSet must have the same number of "
                    + "feature and label columns (the network's nIn and nOut), found:");
            widths.forEach((w, where) -> sb.append(' ').append(w).append(" (first at ").append(where).append(");"));
            throw new IllegalArgumentException(sb.toString());
        }
        Width w = widths.firstKey();
        return new Summary(w.features, w.labels, records, examples, empty);
    }

    private static Iterator<PartitionStats> scan(int partition, Iterator<DataSet> it) {
        TreeMap<Width, String> widths = new TreeMap<>();
        ArrayList<String> problems = new ArrayList<>();
        long records = 0;
        long examples = 0;
        while (it.hasNext()) {
            DataSet ds = it.next();
            String where = "partition " + partition + ", record " + records;
            records++;
            INDArray x = ds.getFeatures();
            INDArray y = ds.getLabels();
            if (x == null || x.rank() != 2 || x.size(0) == 0 || (y != null && (y.rank() != 2 || y.size(0) != x.size(0)))) {
                problems.add(where + ": features must be [m >= 1, nIn] with labels [m, nOut], got features "
                        + shape(x) + " and labels " + shape(y));
                continue;
            }
            // one reduction per record, not per element: NaN or Inf anywhere makes the sum non-finite
            if (!Double.isFinite(x.sumNumber().doubleValue()) || (y != null && !Double.isFinite(y.sumNumber().doubleValue()))) {
                problems.add(where + ": contains NaN or Inf; inputs and labels must be finite");
                continue;
            }
            examples += x.size(0);
            widths.putIfAbsent(new Width(x.size(1), y == null ? 0 : y.size(1)), where);
        }
        return List.of(new PartitionStats(widths, problems, records, examples)).iterator();
    }

    private static String shape(INDArray a) {
        return a == null ? "null" : java.util.Arrays.toString(a.shape());
    }
}

package io.github.cae4j.layers;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * Carries each example's penalty {@code λ‖J_f(x_n)‖²_F} from a network's {@link ContractiveDenseLayerImpl}s
 * to its {@link DecoderOutputLayerImpl}, for {@code scoreExamples}.
 *
 * <p>Why it exists: DL4J's {@code scoreExamples(data, true)} (MultiLayerNetwork and ComputationGraph)
 * runs an inference forward pass, sums every layer's {@code calcRegularizationScore} into one number and
 * hands that to the output layer's {@code computeScoreForExamples}, which adds it to every row. A hidden
 * layer has no other way to reach the per-example scores, so the penalty would enter each row as the
 * batch mean. Here each encoder records, at its inference forward pass, its per-example vector and the
 * scalar it reports to {@code calcRegularizationScore}; the decoder swaps the second for the first.
 *
 * <p>How layers of one network find each other: all layers' parameters are views of the network's one
 * flat parameter array, so the root {@link DataBuffer} of a layer's parameters identifies its network
 * (held weakly). Entries are kept per thread (DL4J scores on the calling thread) and per layer index,
 * and only for the network whose layer recorded last on that thread; a forward pass of another network
 * starts a new ledger. Only small detached {@code [m]} vectors are held, never layers or networks.
 */
final class PerExamplePenalties {

    /** One encoder's contribution: per-example penalties {@code [m]} and what it reported as its score term. */
    record Entry(INDArray perExample, double reported) {
    }

    /** The penalties summed over a network's encoders, for one batch. */
    record Totals(INDArray perExample, double reported) {
    }

    private static final class Ledger {
        final WeakReference<DataBuffer> network;
        final Map<Integer, Entry> byLayerIndex = new HashMap<>();

        Ledger(DataBuffer network) {
            this.network = new WeakReference<>(network);
        }

        boolean isFor(DataBuffer candidate) {
            return network.get() == candidate;
        }
    }

    private static final ThreadLocal<Ledger> LATEST = new ThreadLocal<>();

    private PerExamplePenalties() {
    }

    /** The buffer that all of a network's parameter views share; null for a layer without parameters. */
    static DataBuffer networkOf(Layer layer) {
        INDArray params = layer.params();
        if (params == null) {
            return null;
        }
        DataBuffer b = params.data();
        while (b.originalDataBuffer() != null && b.originalDataBuffer() != b) {
            b = b.originalDataBuffer();
        }
        return b;
    }

    /**
     * @param perExample {@code λ‖J_n‖²_F} per example {@code [m]}, detached from any workspace
     * @param reported   what the layer's {@code calcRegularizationScore} reports for the penalty of this batch
     */
    static void record(Layer encoder, INDArray perExample, double reported) {
        DataBuffer network = networkOf(encoder);
        if (network == null) {
            return;
        }
        Ledger ledger = LATEST.get();
        if (ledger == null || !ledger.isFor(network)) {
            ledger = new Ledger(network);
            LATEST.set(ledger);
        }
        ledger.byLayerIndex.put(encoder.getIndex(), new Entry(perExample, reported));
    }

    /** Drops the encoder's entry: its latest forward pass was not an inference pass, or it was cleared. */
    static void forget(Layer encoder) {
        Ledger ledger = LATEST.get();
        if (ledger != null && !ledger.byLayerIndex.isEmpty() && ledger.isFor(networkOf(encoder))) {
            ledger.byLayerIndex.remove(encoder.getIndex());
        }
    }

    /**
     * The encoders' penalties for a batch of {@code m} examples in the decoder's network, or null when
     * none is recorded.
     */
    static Totals totalsFor(Layer decoder, long m) {
        Ledger ledger = LATEST.get();
        DataBuffer network = networkOf(decoder);
        if (ledger == null || network == null || !ledger.isFor(network)) {
            return null;
        }
        INDArray sum = null;
        double reported = 0.0;
        for (Entry e : ledger.byLayerIndex.values()) {
            if (e.perExample().length() != m) {
                continue;
            }
            sum = sum == null ? e.perExample().dup() : sum.addi(e.perExample());
            reported += e.reported();
        }
        return sum == null ? null : new Totals(sum, reported);
    }
}

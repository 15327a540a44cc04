package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.data.MnistSplits;
import io.github.cae4j.pretrain.ClassifierOptions;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import io.github.cae4j.pretrain.PretrainedStack;
import io.github.cae4j.tangents.ManifoldTangentClassifier;
import io.github.cae4j.tangents.ManifoldTangents;
import io.github.cae4j.tangents.TangentOptions;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.ref.Reference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Seconds per epoch of each kind of training on the protocol's data, what the cost plan multiplies
 * by epoch counts. Each includes the per-epoch evaluation on the validation digits (the held-out
 * objective of pretraining, the validation error of fine-tuning). Fine-tuning with minibatch b
 * costs {@code t(b) = t100 + (t20 - t100)·(100/b - 1)/4}: a fixed cost per epoch plus one per step.
 *
 * @param pretrainAe          784-hidden tied AE (AE, AE+wd, DL4J's AutoEncoder), minibatch 128
 * @param pretrainDae         the same with input noise (DAE-g, DAE-b)
 * @param pretrainCae         the same with the contractive penalty (CAE)
 * @param pretrainLayer2      hidden-hidden CAE on the first layer's codes (CAE-2's second layer)
 * @param finetune100         784-hidden-10 MLP, minibatch 100
 * @param finetune20          the same, minibatch 20
 * @param finetuneTwoLayers100 784-hidden-hidden-10 MLP (CAE-2), minibatch 100
 * @param pretrainCaeH        784-hidden tied CAE+H, 4 noisy copies (the CAE+H row, the MTC's layer 1)
 * @param pretrainCaeHLayer2  hidden-hidden CAE+H on the first layer's codes (the MTC's layer 2)
 * @param finetuneMtcK1       784-hidden-hidden-10 tangent-propagation MLP with k = 1, minibatch 100; each further
 *                            tangent adds {@code finetuneMtcK1 - finetuneTwoLayers100} (the tangent block grows linearly in k)
 * @param tangentsPer1000     seconds per 1,000 training digits and per tangent k to compute the tangents of the
 *                            784-hidden-hidden stack (block iteration with r = 2k vectors: linear in k)
 * @param source              where the numbers come from
 */
public record EpochTimes(double pretrainAe, double pretrainDae, double pretrainCae, double pretrainLayer2, double finetune100,
                         double finetune20, double finetuneTwoLayers100, double pretrainCaeH, double pretrainCaeHLayer2,
                         double finetuneMtcK1, double tangentsPer1000, String source) {

    private static final Logger log = LoggerFactory.getLogger(EpochTimes.class);
    static final String FILE = "epoch-times.json";

    /**
     * The CAE+H and MTC kinds when they were not measured (estimates, docs/table1-protocol.md): CAE+H
     * pretraining = the CAE's x 2.43 (the CPU-time ratio of a tied CAE+H step with 4 copies to a tied
     * CAE step, docs/cae-h.md), for both layers; MTC fine-tuning = the two-layer MLP's x (1 + 0.8 k)
     * and tangents 2.5 s per 1,000 digits per k, from {@code benchmarks/run-tangent-bench.sh --k 4,8
     * --hidden 1000,1000} (784-1000-1000-10, batch 100, two runs under load 4-5: step ratios 3.6-3.8
     * at k = 4 and 5.7-6.4 at k = 8, i.e. at most 0.70 per tangent, +15%; tangents 1.1-1.2 s per
     * 1,000 digits per k in wall time on 2 threads, so at most twice that in CPU time).
     */
    private static final double[] FOLLOW_UPS = {10.1 * 2.43, 13.2 * 2.43, 18.1 * 1.8, 2.5};

    /**
     * The seconds per epoch the cost plan uses unless {@code --measure-epochs} measured this machine's
     * (docs/table1-protocol.md says where they come from).
     */
    static final EpochTimes DOCUMENTED = new EpochTimes(9.0, 9.2, 10.1, 13.2, 9.3, 14.7, 18.1,
            FOLLOW_UPS[0], FOLLOW_UPS[1], FOLLOW_UPS[2], FOLLOW_UPS[3],
            "process CPU seconds per epoch measured with MKL on the project's 2-core machine, 2026-12-02"
                    + " (docs/table1-protocol.md); a dedicated 2-core machine needs about 0.6-0.7 of it in wall time;"
                    + " CAE+H and MTC estimated from the step benchmarks of docs/cae-h.md and docs/tangents.md");


    /** Seconds per fine-tuning epoch of a one-hidden-layer MLP with this minibatch. */
    public double finetune(int batch) {
        return finetune100 + (finetune20 - finetune100) * (100.0 / batch - 1) / 4;
    }

    /** The same for the two-hidden-layer MLP of CAE-2. */
    public double finetuneTwoLayers(int batch) {
        return finetune(batch) * finetuneTwoLayers100 / finetune100;
    }

    /** Seconds per fine-tuning epoch of the MTC's two-hidden-layer MLP with k tangents per digit. */
    public double finetuneMtc(int batch, int k) {
        return finetuneTwoLayers(batch) * (1 + k * (finetuneMtcK1 / finetuneTwoLayers100 - 1));
    }

    /** Seconds to compute k tangents of {@code digits} training digits with the MTC's stack. */
    public double tangents(long digits, int k) {
        return tangentsPer1000 * k * digits / 1000.0;
    }

    /** Seconds per pretraining epoch of a row's first layer. */
    public double pretrain(Table1Row row) {
        if (row == Table1Row.CAE_H || row == Table1Row.MTC) {
            return pretrainCaeH;
        }
        return switch (row.regularizer()) {
            case CONTRACTION -> pretrainCae;
            case GAUSSIAN_NOISE, MASKING_NOISE -> pretrainDae;
            default -> pretrainAe;
        };
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pretrain_ae", pretrainAe);
        m.put("pretrain_dae", pretrainDae);
        m.put("pretrain_cae", pretrainCae);
        m.put("pretrain_layer2", pretrainLayer2);
        m.put("finetune_batch100", finetune100);
        m.put("finetune_batch20", finetune20);
        m.put("finetune_two_layers_batch100", finetuneTwoLayers100);
        m.put("pretrain_cae_h", pretrainCaeH);
        m.put("pretrain_cae_h_layer2", pretrainCaeHLayer2);
        m.put("finetune_mtc_k1_batch100", finetuneMtcK1);
        m.put("tangents_per_1000_per_k", tangentsPer1000);
        m.put("source", source);
        return m;
    }

    /** A file written before the CAE+H and MTC rows lacks their kinds: the documented estimates stand in. */
    static EpochTimes read(Path file) throws IOException {
        var n = RowFiles.read(file);
        boolean old = !n.has("pretrain_cae_h");
        return new EpochTimes(n.get("pretrain_ae").asDouble(), n.get("pretrain_dae").asDouble(), n.get("pretrain_cae").asDouble(),
                n.get("pretrain_layer2").asDouble(), n.get("finetune_batch100").asDouble(), n.get("finetune_batch20").asDouble(),
                n.get("finetune_two_layers_batch100").asDouble(),
                old ? FOLLOW_UPS[0] : n.get("pretrain_cae_h").asDouble(), old ? FOLLOW_UPS[1] : n.get("pretrain_cae_h_layer2").asDouble(),
                old ? FOLLOW_UPS[2] : n.get("finetune_mtc_k1_batch100").asDouble(), old ? FOLLOW_UPS[3] : n.get("tangents_per_1000_per_k").asDouble(),
                n.get("source").asText() + (old ? "; CAE+H and MTC: the documented estimates (measured before those rows existed)" : ""));
    }

    /**
     * Measures every kind on {@code data} (the second epoch of each: the first warms up the JIT and
     * the native libraries), in wall time and in this process's CPU time. On a machine shared with
     * other jobs, wall time overstates what a dedicated 2-core machine needs; CPU time / 2 is the
     * least it could need, CPU time the most.
     *
     * @param work scratch directory for the fine-tuning runs
     * @return wall times and CPU times, each an EpochTimes
     */
    static Measured measure(MnistSplits data, int hidden, Path work) throws IOException {
        Timer t = new Timer();
        Map<String, double[]> m = new LinkedHashMap<>();
        LayerPretrainOptions ae = LayerPretrainOptions.cae(hidden, 0).withUpdater(new Adam(1e-3));
        TreeSet<Integer> oneEpoch = new TreeSet<>(List.of(1));
        // warm-up: the JIT and the native libraries' first calls
        PretrainedAutoencoder first = SnapshotPretraining.run("timing warm-up", ae, 128, 5, 1, data.trainX(), data.validX(), oneEpoch)
                .get(0).ae();
        INDArray codes = first.encode(data.trainX());
        INDArray validCodes = first.encode(data.validX());
        Map<String, LayerPretrainOptions> kinds = new LinkedHashMap<>();
        kinds.put("ae", ae);
        kinds.put("dae", ae.withGaussianNoise(0.3));
        kinds.put("cae", ae.withLambda(1.0));
        for (var e : kinds.entrySet()) {
            double[] s = t.now();
            SnapshotPretraining.run("timing pretrain " + e.getKey(), e.getValue(), 128, 5, 1, data.trainX(), data.validX(), oneEpoch);
            m.put("pretrain_" + e.getKey(), Timer.minus(t.now(), s));
        }
        double[] s = t.now();
        PretrainedAutoencoder top = SnapshotPretraining.run("timing pretrain layer 2", ae.withLambda(1.0), 128, 5, 2, codes, validCodes,
                oneEpoch).get(0).ae();
        m.put("pretrain_layer2", Timer.minus(t.now(), s));
        Finetuner adam = Finetuner.adam(1e-3, 100, 2, 5);
        m.put("finetune_100", secondEpoch(t, work.resolve("timing-b100"), adam, List.of(first), data));
        m.put("finetune_20", secondEpoch(t, work.resolve("timing-b20"), Finetuner.sgd(0.1, 1, 20, 2, 5), List.of(first), data));
        m.put("finetune_two_layers_100", secondEpoch(t, work.resolve("timing-two-layers"), adam, List.of(first, top), data));
        LayerPretrainOptions caeH = ae.withLambda(1.0).withHigherOrder(0.1, 0.1, 4);
        s = t.now();
        PretrainedAutoencoder firstH = SnapshotPretraining.run("timing pretrain CAE+H", caeH, 128, 5, 1, data.trainX(), data.validX(),
                oneEpoch).get(0).ae();
        m.put("pretrain_cae_h", Timer.minus(t.now(), s));
        s = t.now();
        PretrainedAutoencoder topH = SnapshotPretraining.run("timing pretrain CAE+H layer 2", caeH, 128, 5, 2, firstH.encode(data.trainX()),
                firstH.encode(data.validX()), oneEpoch).get(0).ae();
        m.put("pretrain_cae_h_layer2", Timer.minus(t.now(), s));
        PretrainedStack stack = new PretrainedStack(List.of(firstH, topH), List.of());
        // the tangents of 1,000 digits at k = 2; an MTC epoch at k = 1 on random unit tangents (the cost does not depend on them)
        INDArray some = data.trainX().get(NDArrayIndex.interval(0, Math.min(1000, data.trainX().size(0))), NDArrayIndex.all());
        s = t.now();
        ManifoldTangents.of(stack, TangentOptions.of(2)).compute(some);
        m.put("tangents_per_1000_per_k", scaled(Timer.minus(t.now(), s), 1000.0 / some.size(0) / 2));
        INDArray u = Nd4j.randn(DataType.FLOAT, data.trainX().size(0), data.trainX().size(1));
        INDArray norms = u.norm2(1).reshape(u.size(0), 1);
        u.diviColumnVector(norms);
        Reference.reachabilityFence(norms);   // ND4J's broadcasts may free a dead operand mid-op (docs/robustness.md)
        MnistSplits withTangents = new MnistSplits(Nd4j.hstack(data.trainX().castTo(DataType.FLOAT), u), data.trainY(), data.validX(),
                data.validY(), data.testX(), data.testY(), data.source());
        m.put("finetune_mtc_k1_100", secondEpoch(t, work.resolve("timing-mtc"), adam, () -> ManifoldTangentClassifier.fromPretrained(stack, 1,
                1.0, new ClassifierOptions(10, adam.updater(), 0, 1, DataType.FLOAT)).network(), withTangents));
        String where = String.format("measured on %d training / %d validation digits, %d hidden units, %s", data.trainX().size(0),
                data.validX().size(0), hidden, java.time.LocalDate.now());
        Measured r = new Measured(of(m, 0, "wall time " + where), of(m, 1, "process CPU time " + where));
        log.info("seconds per epoch, wall: {}; CPU: {}", r.wall().toJson(), r.cpu().toJson());
        return r;
    }

    /** The second epoch of a fine-tuning (the first builds the MLP and warms up): its training, validation and checkpoint. */
    private static double[] secondEpoch(Timer t, Path dir, Finetuner f, List<PretrainedAutoencoder> layers, MnistSplits data)
            throws IOException {
        return secondEpoch(t, dir, f, () -> new PretrainedStack(layers, List.of())
                .classifier(new ClassifierOptions(10, f.updater(), 0, 1, DataType.FLOAT)), data);
    }

    private static double[] secondEpoch(Timer t, Path dir, Finetuner f, Supplier<MultiLayerNetwork> fresh, MnistSplits data)
            throws IOException {
        FineTuneRun.advance("timing " + f.label(), dir, fresh, f, 1, 1, data);
        double[] s = t.now();
        FineTuneRun.advance("timing " + f.label(), dir, () -> {
            throw new IllegalStateException("the run continues from its first epoch");
        }, f, 2, 1, data);
        return Timer.minus(t.now(), s);
    }

    /** Wall and CPU seconds per epoch. */
    record Measured(EpochTimes wall, EpochTimes cpu) {
    }

    private static EpochTimes of(Map<String, double[]> m, int i, String source) {
        return new EpochTimes(m.get("pretrain_ae")[i], m.get("pretrain_dae")[i], m.get("pretrain_cae")[i], m.get("pretrain_layer2")[i],
                m.get("finetune_100")[i], m.get("finetune_20")[i], m.get("finetune_two_layers_100")[i], m.get("pretrain_cae_h")[i],
                m.get("pretrain_cae_h_layer2")[i], m.get("finetune_mtc_k1_100")[i], m.get("tangents_per_1000_per_k")[i], source);
    }

    private static double[] scaled(double[] wallCpu, double factor) {
        return new double[]{wallCpu[0] * factor, wallCpu[1] * factor};
    }

    /** Wall and process CPU seconds (all threads, native ones included: /proc/self/stat on Linux, NaN elsewhere). */
    private static final class Timer {
        private final long start = System.nanoTime();

        double[] now() {
            return new double[]{(System.nanoTime() - start) / 1e9, cpuSeconds()};
        }

        static double[] minus(double[] a, double[] b) {
            return new double[]{a[0] - b[0], a[1] - b[1]};
        }

        private static double cpuSeconds() {
            try {
                String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name, in clock ticks (100/s on Linux)
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }
    }
}

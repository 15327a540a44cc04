package io.github.cae4j.examples.table1;

import io.github.cae4j.diagnostics.JacobianNorms;
import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import io.github.cae4j.pretrain.TiedObjectiveScoreCalculator;
import io.github.cae4j.training.EarlyStoppingProgressLogger;
import io.github.cae4j.training.EarlyStoppingRun;
import io.github.cae4j.training.ShuffledBatchIterator;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.listener.EarlyStoppingListener;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.termination.InvalidScoreIterationTerminationCondition;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.termination.EpochTerminationCondition;
import org.deeplearning4j.earlystopping.termination.ScoreImprovementEpochTerminationCondition;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.github.cae4j.layers.ContractiveParamInitializer.BIAS_KEY;
import static io.github.cae4j.layers.ContractiveParamInitializer.VISIBLE_BIAS_KEY;
import static io.github.cae4j.layers.ContractiveParamInitializer.WEIGHT_KEY;

/**
 * Pretrains one tied autoencoder layer exactly as the library's {@code GreedyLayerwisePretrainer}
 * does (a one-layer network of a {@code ContractiveDenseLayer}, DL4J's {@code EarlyStoppingTrainer}
 * with layer-wise pretraining, early stopping on the held-out objective), and keeps a snapshot at
 * each of several epoch limits: the best-so-far model after {@code L} epochs is what a pretraining
 * limited to {@code L} epochs would return, so one run serves every pretraining length of a grid.
 * (The library's pretrainer has no per-epoch hook to do this: see the report.)
 */
final class SnapshotPretraining {

    private static final Logger log = LoggerFactory.getLogger(SnapshotPretraining.class);

    private SnapshotPretraining() {
    }

    /**
     * One snapshot.
     *
     * @param length    the epoch limit it stands for
     * @param ae        the best model within the first {@code length} epochs
     * @param epochs    epochs a run limited to {@code length} would have done
     * @param bestEpoch 1-based epoch of {@code ae}
     */
    record Snapshot(int length, PretrainedAutoencoder ae, int epochs, int bestEpoch, double heldOutObjective,
                    double heldOutReconstruction, double heldOutMeanJacobianFro, double seconds, Map<Integer, Double> heldOutByEpoch) {

        Map<String, Object> toJson(int layer, long nIn, long nOut) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", layer);
            m.put("n_in", nIn);
            m.put("n_out", nOut);
            m.putAll(numbers());
            m.put("heldout_objective_by_epoch", RowFiles.byEpoch(heldOutByEpoch));
            return m;
        }

        /** Its numbers (not the model or the curve), as the run record and the checkpoint keep them. */
        Map<String, Object> numbers() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("max_epochs", length);
            m.put("epochs", epochs);
            m.put("best_epoch", bestEpoch);
            m.put("heldout_objective", heldOutObjective);
            m.put("heldout_reconstruction", heldOutReconstruction);
            m.put("heldout_mean_jacobian_fro", heldOutMeanJacobianFro);
            m.put("seconds", seconds);
            return m;
        }

        /** The snapshot whose {@link #numbers} are {@code n}. */
        static Snapshot fromNumbers(JsonNode n, PretrainedAutoencoder ae, Map<Integer, Double> heldOutByEpoch) {
            return new Snapshot(n.get("max_epochs").asInt(), ae, n.get("epochs").asInt(), n.get("best_epoch").asInt(),
                    n.get("heldout_objective").asDouble(), n.get("heldout_reconstruction").asDouble(),
                    n.get("heldout_mean_jacobian_fro").asDouble(), n.get("seconds").asDouble(), heldOutByEpoch);
        }
    }

    /**
     * @param lengths epoch limits to keep a snapshot for; the run goes to the largest
     * @param seed    seeds initialisation, minibatch order and noise (the library's layer k uses seed + k)
     * @return one snapshot per length, in increasing order
     */
    static List<Snapshot> run(String name, LayerPretrainOptions opts, int batch, int patience, long seed, INDArray train,
                              INDArray heldOut, SortedSet<Integer> lengths) {
        try {
            return run(name, opts, batch, patience, seed, train, heldOut, lengths, null, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);      // no checkpoint, no file
        }
    }

    /**
     * {@link #run} that keeps its state in {@code checkpoint} after every epoch (see
     * {@link PretrainingCheckpoint}) and continues from the state there, if any: a stopped run goes
     * on from its latest epoch and ends as an uninterrupted one would, bit for bit. The caller
     * deletes the directory once the snapshots are kept.
     */
    static List<Snapshot> run(String name, LayerPretrainOptions opts, int batch, int patience, long seed, INDArray train,
                              INDArray heldOut, SortedSet<Integer> lengths, Path checkpoint) throws IOException {
        return run(name, opts, batch, patience, seed, train, heldOut, lengths, checkpoint, 0);
    }

    /** @param stopAfter for tests: fail right after the checkpoint of this epoch (1-based; 0 never), as a stop would */
    static List<Snapshot> run(String name, LayerPretrainOptions opts, int batch, int patience, long seed, INDArray train,
                              INDArray heldOut, SortedSet<Integer> lengths, Path checkpoint, int stopAfter) throws IOException {
        if (lengths.isEmpty() || lengths.first() <= 0) {
            throw new IllegalArgumentException(name + ": pretraining lengths must be > 0, got " + lengths);
        }
        if (!opts.tiedWeights()) {
            throw new IllegalArgumentException(name + ": only tied autoencoders (Table 1's) are pretrained here");
        }
        INDArray x = train.castTo(DataType.FLOAT);
        INDArray v = heldOut.castTo(DataType.FLOAT);
        int maxEpochs = lengths.last();
        String identity = identity(opts, batch, patience, seed, lengths, x, v);
        PretrainingCheckpoint.Saved saved = checkpoint == null ? null : PretrainingCheckpoint.load(checkpoint, identity, opts, name);
        int done = saved == null ? 0 : saved.epochs();
        MultiLayerNetwork net = saved == null ? network(opts, x.size(1), seed) : saved.net();
        String logName = done == 0 ? name : name + ", resumed after epoch " + done;
        Snapshots snapshots = new Snapshots(new EarlyStoppingProgressLogger(logName, maxEpochs - done, true), new TreeSet<>(lengths), opts, v,
                checkpoint, identity, stopAfter, saved);
        if (saved != null) {
            Nd4j.getRandom().setStates(saved.rngRoot(), saved.rngNode());
            log.info("{}: continuing from the checkpoint in {} after epoch {} of at most {} (best {} at epoch {})", name, checkpoint, done,
                    maxEpochs, saved.scores().get(saved.bestEpoch() - 1), saved.bestEpoch());
            if (saved.finished(maxEpochs, patience)) {
                return snapshots.finish(done, -1);
            }
        }
        EpochTerminationCondition patienceCondition = saved == null ? new ScoreImprovementEpochTerminationCondition(patience)
                : new ResumedPatience(patience, done, saved.bestEpoch() - 1, saved.scores().get(saved.bestEpoch() - 1));
        EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(maxEpochs - done), patienceCondition)
                .iterationTerminationConditions(new InvalidScoreIterationTerminationCondition())
                .scoreCalculator(new TiedObjectiveScoreCalculator(v, 1024))
                .modelSaver(new InMemoryModelSaver<>())
                .evaluateEveryNEpochs(1)
                .build();
        ShuffledBatchIterator batches = ShuffledBatchIterator.autoencoder(x, batch, seed, true);
        if (done > 0) {
            // DL4J's trainer resets the iterator before each epoch: epoch e (0-based) sees the order of index e + 1
            batches.seekEpoch(done);
        }
        EarlyStoppingRun run = EarlyStoppingRun.run(name, es, net, batches, true, snapshots);
        return snapshots.finish(done + run.epochs(), done + run.bestEpoch());
    }

    /**
     * What a checkpoint must have been written by to be resumed: the settings (their {@code toString}s,
     * which name every value and no object address, so they compare across processes), the lengths
     * and the data's shape.
     */
    static String identity(LayerPretrainOptions opts, int batch, int patience, long seed, SortedSet<Integer> lengths, INDArray train,
                           INDArray heldOut) {
        return String.format("%s; batch %d, patience %d, seed %d, lengths %s, %d x %d training, %d held out", opts, batch, patience, seed,
                lengths, train.size(0), train.size(1), heldOut.size(0));
    }

    /** The network {@code GreedyLayerwisePretrainer} builds for a tied layer. */
    private static MultiLayerNetwork network(LayerPretrainOptions opts, long nIn, long seed) {
        var encoder = new ContractiveDenseLayer.Builder().nIn(nIn).nOut(opts.nOut()).activation(opts.activation())
                .lambda(opts.lambda()).corruptionLevel(opts.corruptionLevel()).gaussianNoise(opts.gaussianNoise())
                .higherOrder(opts.gamma(), opts.sigma(), opts.corruptedCopies())
                .reconstructionLoss(opts.reconstructionLoss()).decoderActivation(opts.decoderActivation())
                .l2(opts.l2()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(opts.updater()).weightInit(WeightInit.XAVIER).list().layer(encoder).build());
        net.init();
        return net;
    }

    private static PretrainedAutoencoder tied(Layer encoder, LayerPretrainOptions opts) {
        INDArray W = encoder.getParam(WEIGHT_KEY).dup();
        return new PretrainedAutoencoder(W, encoder.getParam(BIAS_KEY).dup(), opts.activation(), W.transpose().dup(),
                encoder.getParam(VISIBLE_BIAS_KEY).dup(), opts.decoderActivation(), opts.reconstructionLoss());
    }

    /**
     * DL4J's patience condition for a run resumed after {@code done} epochs: the trainer counts its
     * epochs from 0 again, and DL4J's condition forgets the best epoch at {@code initialize()} (and
     * reads a best epoch of -1 as none), so epochs are offset here and the best so far seeded.
     */
    static final class ResumedPatience extends ScoreImprovementEpochTerminationCondition {
        private final int done;
        private final int bestEpoch;
        private final double bestScore;

        /** @param bestEpoch 0-based epoch of the best objective so far, {@code bestScore} */
        ResumedPatience(int patience, int done, int bestEpoch, double bestScore) {
            super(patience);
            this.done = done;
            this.bestEpoch = bestEpoch;
            this.bestScore = bestScore;
        }

        @Override
        public void initialize() {
            setBestEpoch(bestEpoch);
            setBestScore(bestScore);
        }

        @Override
        public boolean terminate(int epochNum, double score, boolean minimize) {
            return super.terminate(done + epochNum, score, minimize);
        }

        @Override
        public String toString() {
            return super.toString() + " (resumed after epoch " + done + ")";
        }
    }

    /** Follows the run epoch by epoch: the best model so far, copied out at each length, and the checkpoint. */
    private static final class Snapshots implements EarlyStoppingListener<MultiLayerNetwork> {
        private final EarlyStoppingProgressLogger logger;
        private final TreeSet<Integer> lengths;
        private final LayerPretrainOptions opts;
        private final INDArray heldOut;
        private final Path checkpoint;
        private final String identity;
        private final int stopAfter;
        private final int done;
        private final double secondsBefore;
        private final Map<Integer, Double> scores = new TreeMap<>();
        private final Map<Integer, PretrainingCheckpoint.Taken> taken = new TreeMap<>();
        private final long start = System.nanoTime();
        private PretrainedAutoencoder best;
        private int bestEpoch;
        /** The checkpoint's file of {@code best}, or null when it changed since the last save. */
        private String bestFile;

        Snapshots(EarlyStoppingProgressLogger logger, TreeSet<Integer> lengths, LayerPretrainOptions opts, INDArray heldOut, Path checkpoint,
                  String identity, int stopAfter, PretrainingCheckpoint.Saved saved) {
            this.logger = logger;
            this.lengths = lengths;
            this.opts = opts;
            this.heldOut = heldOut;
            this.checkpoint = checkpoint;
            this.identity = identity;
            this.stopAfter = stopAfter;
            this.done = saved == null ? 0 : saved.epochs();
            this.secondsBefore = saved == null ? 0 : saved.seconds();
            if (saved != null) {
                scores.putAll(saved.scores());
                saved.taken().forEach(t -> taken.put(t.snapshot().length(), t));
                best = saved.best();
                bestEpoch = saved.bestEpoch();
                bestFile = saved.bestFile();
            }
        }

        @Override
        public void onStart(EarlyStoppingConfiguration<MultiLayerNetwork> esConfig, MultiLayerNetwork net) {
            logger.onStart(esConfig, net);
        }

        @Override
        public void onEpoch(int epochNum, double score, EarlyStoppingConfiguration<MultiLayerNetwork> esConfig, MultiLayerNetwork net) {
            logger.onEpoch(epochNum, score, esConfig, net);
            int epoch = done + epochNum;         // 0-based, counted from the run's start
            scores.put(epoch, score);
            // strictly lower, as DL4J's trainer decides its best model
            if (best == null || score < scores.get(bestEpoch - 1)) {
                best = tied(net.getLayer(0), opts);
                bestEpoch = epoch + 1;
                bestFile = null;
            }
            if (lengths.contains(epoch + 1)) {
                take(epoch + 1, epoch + 1);
            }
            if (checkpoint != null) {
                try {
                    bestFile = PretrainingCheckpoint.save(checkpoint, identity, epoch + 1, scores, bestEpoch, seconds(), net, best, bestFile,
                            List.copyOf(taken.values()));
                } catch (IOException e) {
                    throw new UncheckedIOException("pretraining checkpoint in " + checkpoint + " after epoch " + (epoch + 1), e);
                }
            }
            if (epoch + 1 == stopAfter) {
                throw new IllegalStateException("stopped after epoch " + stopAfter + " (test)");
            }
        }

        @Override
        public void onCompletion(EarlyStoppingResult<MultiLayerNetwork> result) {
            logger.onCompletion(result);
        }

        private double seconds() {
            return secondsBefore + (System.nanoTime() - start) / 1e9;
        }

        private void take(int length, int epochs) {
            Map<Integer, Double> curve = new TreeMap<>(scores);
            curve.keySet().removeIf(e -> e >= epochs);
            double objective = scores.get(bestEpoch - 1);
            taken.put(length, new PretrainingCheckpoint.Taken(new Snapshot(length, best, epochs, bestEpoch, objective,
                    best.reconstructionError(heldOut), JacobianNorms.meanFrobenius(best.jacobianFrobeniusSquared(heldOut)), seconds(), curve),
                    "snapshot-e" + length + ".nd4j"));
        }

        /**
         * Lengths beyond an early stop get the final best model, as a run limited to them would.
         *
         * @param epochs       epochs the run did, counted from its start
         * @param dl4jBestEpoch 0-based epoch of the model DL4J's trainer kept, or -1 when the trainer did not run
         */
        List<Snapshot> finish(int epochs, int dl4jBestEpoch) {
            if (best == null) {
                throw new IllegalStateException("pretraining finished without an evaluated epoch");
            }
            // a resumed trainer only saw the epochs after the resume: its best is comparable when the best is among them
            if (dl4jBestEpoch >= 0 && bestEpoch > done && dl4jBestEpoch + 1 != bestEpoch) {
                throw new IllegalStateException("pretraining: DL4J kept epoch " + (dl4jBestEpoch + 1) + " but the snapshots followed epoch "
                        + bestEpoch + "; the snapshots would not be the models a shorter run returns");
            }
            for (int length : lengths) {
                if (!taken.containsKey(length)) {
                    take(length, epochs);
                }
            }
            return taken.values().stream().map(PretrainingCheckpoint.Taken::snapshot).toList();
        }
    }
}

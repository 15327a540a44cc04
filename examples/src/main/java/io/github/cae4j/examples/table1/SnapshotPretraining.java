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
import org.deeplearning4j.earlystopping.termination.ScoreImprovementEpochTerminationCondition;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

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
            m.put("max_epochs", length);
            m.put("epochs", epochs);
            m.put("best_epoch", bestEpoch);
            m.put("heldout_objective", heldOutObjective);
            m.put("heldout_reconstruction", heldOutReconstruction);
            m.put("heldout_mean_jacobian_fro", heldOutMeanJacobianFro);
            m.put("seconds", seconds);
            m.put("heldout_objective_by_epoch", RowFiles.byEpoch(heldOutByEpoch));
            return m;
        }
    }

    /**
     * @param lengths epoch limits to keep a snapshot for; the run goes to the largest
     * @param seed    seeds initialisation, minibatch order and noise (the library's layer k uses seed + k)
     * @return one snapshot per length, in increasing order
     */
    static List<Snapshot> run(String name, LayerPretrainOptions opts, int batch, int patience, long seed, INDArray train,
                              INDArray heldOut, SortedSet<Integer> lengths) {
        if (lengths.isEmpty() || lengths.first() <= 0) {
            throw new IllegalArgumentException(name + ": pretraining lengths must be > 0, got " + lengths);
        }
        if (!opts.tiedWeights()) {
            throw new IllegalArgumentException(name + ": only tied autoencoders (Table 1's) are pretrained here");
        }
        INDArray x = train.castTo(DataType.FLOAT);
        INDArray v = heldOut.castTo(DataType.FLOAT);
        int maxEpochs = lengths.last();
        MultiLayerNetwork net = network(opts, x.size(1), seed);
        EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(maxEpochs), new ScoreImprovementEpochTerminationCondition(patience))
                .iterationTerminationConditions(new InvalidScoreIterationTerminationCondition())
                .scoreCalculator(new TiedObjectiveScoreCalculator(v, 1024))
                .modelSaver(new InMemoryModelSaver<>())
                .evaluateEveryNEpochs(1)
                .build();
        Snapshots snapshots = new Snapshots(new EarlyStoppingProgressLogger(name, maxEpochs, true), new TreeSet<>(lengths), opts, v);
        EarlyStoppingRun run = EarlyStoppingRun.run(name, es, net, ShuffledBatchIterator.autoencoder(x, batch, seed, true), true, snapshots);
        return snapshots.finish(run);
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

    /** Follows the run epoch by epoch: the best model so far, copied out at each length. */
    private static final class Snapshots implements EarlyStoppingListener<MultiLayerNetwork> {
        private final EarlyStoppingProgressLogger logger;
        private final TreeSet<Integer> lengths;
        private final LayerPretrainOptions opts;
        private final INDArray heldOut;
        private final Map<Integer, Double> scores = new TreeMap<>();
        private final Map<Integer, Snapshot> taken = new TreeMap<>();
        private final long start = System.nanoTime();
        private PretrainedAutoencoder best;
        private int bestEpoch;

        Snapshots(EarlyStoppingProgressLogger logger, TreeSet<Integer> lengths, LayerPretrainOptions opts, INDArray heldOut) {
            this.logger = logger;
            this.lengths = lengths;
            this.opts = opts;
            this.heldOut = heldOut;
        }

        @Override
        public void onStart(EarlyStoppingConfiguration<MultiLayerNetwork> esConfig, MultiLayerNetwork net) {
            logger.onStart(esConfig, net);
        }

        @Override
        public void onEpoch(int epochNum, double score, EarlyStoppingConfiguration<MultiLayerNetwork> esConfig, MultiLayerNetwork net) {
            logger.onEpoch(epochNum, score, esConfig, net);
            scores.put(epochNum, score);
            // strictly lower, as DL4J's trainer decides its best model
            if (best == null || score < scores.get(bestEpoch - 1)) {
                best = tied(net.getLayer(0), opts);
                bestEpoch = epochNum + 1;
            }
            if (lengths.contains(epochNum + 1)) {
                take(epochNum + 1, epochNum + 1);
            }
        }

        @Override
        public void onCompletion(EarlyStoppingResult<MultiLayerNetwork> result) {
            logger.onCompletion(result);
        }

        private void take(int length, int epochs) {
            Map<Integer, Double> curve = new TreeMap<>(scores);
            curve.keySet().removeIf(e -> e >= epochs);
            double objective = scores.get(bestEpoch - 1);
            taken.put(length, new Snapshot(length, best, epochs, bestEpoch, objective, best.reconstructionError(heldOut),
                    JacobianNorms.meanFrobenius(best.jacobianFrobeniusSquared(heldOut)), (System.nanoTime() - start) / 1e9, curve));
        }

        /** Lengths beyond an early stop get the final best model, as a run limited to them would. */
        List<Snapshot> finish(EarlyStoppingRun run) {
            if (best == null) {
                throw new IllegalStateException("pretraining finished without an evaluated epoch (" + run.termination() + ")");
            }
            if (run.bestEpoch() + 1 != bestEpoch) {
                throw new IllegalStateException("pretraining: DL4J kept epoch " + (run.bestEpoch() + 1) + " but the snapshots followed epoch "
                        + bestEpoch + "; the snapshots would not be the models a shorter run returns");
            }
            for (int length : lengths) {
                if (!taken.containsKey(length)) {
                    take(length, run.epochs());
                }
            }
            return List.copyOf(taken.values());
        }
    }
}

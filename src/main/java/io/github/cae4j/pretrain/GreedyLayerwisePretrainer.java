package io.github.cae4j.pretrain;

import io.github.cae4j.diagnostics.JacobianNorms;
import io.github.cae4j.training.EarlyStoppingProgressLogger;
import io.github.cae4j.training.EarlyStoppingRun;
import io.github.cae4j.training.ShuffledBatchIterator;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.scorecalc.ScoreCalculator;
import org.deeplearning4j.earlystopping.termination.InvalidScoreIterationTerminationCondition;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.termination.ScoreImprovementEpochTerminationCondition;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;


/**
 * Greedy layer-wise pretraining of a stack of (contractive, plain or denoising) autoencoders: CAE 1
 * is trained on x, CAE 2 on h1 = f1(x), and so on, each with DL4J's own {@code EarlyStoppingTrainer}
 * on a one-layer network, stopping on the held-out objective.
 *
 * <p>Why not {@code MultiLayerNetwork.pretrain()} on the whole stack: in DL4J 1.0.0-M2.1 it feeds
 * layer k &gt; 0 the raw features instead of h_{k-1} ({@code pretrainLayer} reads the network's own
 * index), so only a stack's first layer would train on the right input. Here layer k's input is
 * computed from the already trained encoders, so the bug cannot arise. Tied layers are trained
 * through DL4J's layer-wise pretraining path ({@code pretrain()} of a one-layer network, which is
 * correct), untied ones through {@code fit()} of encoder + decoder with labels = features.
 *
 * <p>The pretrainer holds options only; every call builds its own networks and state.
 */
public final class GreedyLayerwisePretrainer {

    private static final Logger log = LoggerFactory.getLogger(GreedyLayerwisePretrainer.class);

    private final List<LayerPretrainOptions> layers;
    private final PretrainSchedule schedule;
    private final DataType dataType;

    /**
     * @param layers   one entry per autoencoder, bottom first; at least one
     * @param dataType FLOAT for speed, DOUBLE for checks
     */
    public GreedyLayerwisePretrainer(List<LayerPretrainOptions> layers, PretrainSchedule schedule, DataType dataType) {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("GreedyLayerwisePretrainer: at least one layer is required, got " + layers);
        }
        if (schedule == null || dataType == null || !dataType.isFPType()) {
            throw new IllegalArgumentException("GreedyLayerwisePretrainer: a schedule and a floating-point dataType are required, got "
                    + schedule + ", " + dataType);
        }
        this.layers = List.copyOf(layers);
        this.schedule = schedule;
        this.dataType = dataType;
    }

    private static void requireFinite(String what, INDArray x) {
        if (!Double.isFinite(x.sumNumber().doubleValue())) {
            throw new IllegalArgumentException("GreedyLayerwisePretrainer: " + what + " inputs contain NaN or Inf; inputs must be finite");
        }
    }

    /**
     * @param train   unlabelled training inputs {@code [n, nIn]}
     * @param heldOut held-out inputs {@code [n', nIn]} for early stopping and the reports
     */
    public PretrainedStack pretrain(INDArray train, INDArray heldOut) {
        if (train.rank() != 2 || heldOut.rank() != 2 || train.size(1) != heldOut.size(1)) {
            throw new IllegalArgumentException("train and held-out inputs must be matrices with the same width, got "
                    + java.util.Arrays.toString(train.shape()) + " and " + java.util.Arrays.toString(heldOut.shape()));
        }
        if (train.size(0) == 0 || heldOut.size(0) == 0) {
            throw new IllegalArgumentException("GreedyLayerwisePretrainer: train and held-out inputs must not be empty, got "
                    + train.size(0) + " and " + heldOut.size(0) + " rows");
        }
        requireFinite("train", train);
        requireFinite("held-out", heldOut);
        INDArray x = train.castTo(dataType);
        INDArray v = heldOut.castTo(dataType);
        List<PretrainedAutoencoder> trained = new ArrayList<>();
        List<LayerReport> reports = new ArrayList<>();
        for (int k = 0; k < layers.size(); k++) {
            LayerPretrainOptions opts = layers.get(k);
            String name = String.format("pretrain layer %d/%d (%d->%d, %s)", k + 1, layers.size(), x.size(1), opts.nOut(),
                    opts.settings());
            EarlyStoppingRun run = trainOne(name, opts, x, v, schedule.seed() + k);
            PretrainedAutoencoder ae = AutoencoderNetworks.extract(run.best(), opts);
            double recon = ae.reconstructionError(v);
            double meanJ = JacobianNorms.meanFrobenius(ae.jacobianFrobeniusSquared(v));
            reports.add(new LayerReport(k, x.size(1), opts.nOut(), opts.lambda(), opts.corruptionLevel(), opts.gaussianNoise(), opts.gamma(),
                    recon, meanJ, run.epochs(), run.bestEpoch(), run.seconds(), run.scoreVsEpoch()));
            log.info("{}: held-out reconstruction {}, mean ||J||_F {}, {} epochs (best {}), {} s", name,
                    String.format("%.4f", recon), String.format("%.4f", meanJ), run.epochs(), run.bestEpoch() + 1,
                    String.format("%.1f", run.seconds()));
            trained.add(ae);
            x = ae.encode(x);
            v = ae.encode(v);
        }
        return new PretrainedStack(trained, reports);
    }

    @SuppressWarnings("unchecked")
    private EarlyStoppingRun trainOne(String name, LayerPretrainOptions opts, INDArray x, INDArray v, long seed) {
        MultiLayerNetwork net = AutoencoderNetworks.network(opts, x.size(1), seed, dataType);
        @SuppressWarnings({"rawtypes"})   // DL4J's DataSetLossCalculator is a ScoreCalculator<Model>
        ScoreCalculator heldOutScore = opts.tiedWeights()
                ? new TiedObjectiveScoreCalculator(v, 1024)
                : new DataSetLossCalculator(ShuffledBatchIterator.autoencoder(v, 1024, seed, false), true);
        EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(schedule.maxEpochs()),
                        new ScoreImprovementEpochTerminationCondition(schedule.patience()))
                .iterationTerminationConditions(new InvalidScoreIterationTerminationCondition())
                .scoreCalculator(heldOutScore)
                .modelSaver(new InMemoryModelSaver<>())
                .evaluateEveryNEpochs(1)
                .build();
        return EarlyStoppingRun.run(name, es, net, ShuffledBatchIterator.autoencoder(x, schedule.batchSize(), seed, true),
                opts.tiedWeights(), new EarlyStoppingProgressLogger(name, schedule.maxEpochs(), true));
    }
}

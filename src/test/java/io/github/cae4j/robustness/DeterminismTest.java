package io.github.cae4j.robustness;

import io.github.cae4j.testing.Exact;
import io.github.cae4j.io.ModelFiles;
import io.github.cae4j.pretrain.GreedyLayerwisePretrainer;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.PretrainSchedule;
import io.github.cae4j.pretrain.PretrainedStack;
import io.github.cae4j.testing.TinyNets;
import io.github.cae4j.io.AtomicModelSaver;
import io.github.cae4j.training.EarlyStoppingRun;
import io.github.cae4j.training.ShuffledBatchIterator;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Same seed, same data, same thread count: bit-identical parameters. (Across machines or thread
 * counts ND4J's native BLAS may sum in another order, so the last bits can differ there.)
 */
class DeterminismTest {

    @TempDir
    Path dir;

    private static PretrainedStack pretrain() {
        INDArray x = TinyNets.manifoldData(64, 12, 3, 5).castTo(DataType.FLOAT);
        INDArray v = TinyNets.manifoldData(16, 12, 3, 6).castTo(DataType.FLOAT);
        return new GreedyLayerwisePretrainer(List.of(LayerPretrainOptions.cae(8, 0.5).withCorruptionLevel(0.1).withUpdater(new Adam(1e-2)),
                LayerPretrainOptions.cae(5, 0.5).withTiedWeights(false).withUpdater(new Adam(1e-2))),
                new PretrainSchedule(16, 3, 3, 77), DataType.FLOAT).pretrain(x, v);
    }

    private static void assertBitIdentical(INDArray expected, INDArray actual, String what) {
        Exact.assertBitIdentical(expected, actual, what);
    }

    @Test
    void greedyPretrainingIsBitIdenticalForTheSameSeed() {
        PretrainedStack a = pretrain();
        PretrainedStack b = pretrain();
        // bit for bit: INDArray.equals would allow differences up to 1e-5
        for (int k = 0; k < 2; k++) {
            assertBitIdentical(a.autoencoders().get(k).W(), b.autoencoders().get(k).W(), "layer " + k + " W");
            assertBitIdentical(a.autoencoders().get(k).b(), b.autoencoders().get(k).b(), "layer " + k + " b");
            assertBitIdentical(a.autoencoders().get(k).decoderW(), b.autoencoders().get(k).decoderW(), "layer " + k + " decoder W");
            assertBitIdentical(a.autoencoders().get(k).decoderB(), b.autoencoders().get(k).decoderB(), "layer " + k + " decoder bias");
        }
    }

    @Test
    void earlyStoppingWithTheAtomicSaverKeepsTheBestModelOnDisk() throws IOException {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.3, new Adam(1e-2), 3);
        DataSet data = TinyNets.autoencoderData(32, 6, 4);
        AtomicModelSaver saver = new AtomicModelSaver(dir);
        EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(4))
                .scoreCalculator(new DataSetLossCalculator(ShuffledBatchIterator.of(data, 32, 0, false), true))
                .modelSaver(saver).saveLastModel(true).evaluateEveryNEpochs(1).build();

        EarlyStoppingRun run = EarlyStoppingRun.run("atomic", es, net, ShuffledBatchIterator.of(data, 8, 1, true), false, null);

        MultiLayerNetwork fromDisk = ModelFiles.load(dir.resolve(AtomicModelSaver.BEST), true);
        assertBitIdentical(run.best().params(), fromDisk.params(), "best model on disk");
        assertTrue(Files.exists(dir.resolve(AtomicModelSaver.LATEST)));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "best and latest only, no partial files");
        }
    }
}

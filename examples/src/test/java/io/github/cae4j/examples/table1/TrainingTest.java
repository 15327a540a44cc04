package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.Baselines;
import io.github.cae4j.examples.data.MnistSplits;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pretraining steps: saved once, extended to new lengths without touching the ones fine-tunings
 * started from; the fine-tuned MLP carries its fine-tuner's weight decay.
 */
class TrainingTest {

    private static final MnistSplits DATA = TinyDigits.of(120, 40, 12, 9);

    @TempDir
    Path out;

    @Test
    void aPretrainingAskedForALongerLengthKeepsItsEarlierSnapshotFiles() throws IOException {
        Table1Protocol quick = Table1Protocol.quick();
        Training t = new Training(quick, DATA, out, new Steps(10, 0, 0), EpochTimes.DOCUMENTED);
        Candidate c = new Candidate(Table1Row.CAE, 1.0, Pretraining.adam(1e-2, 16, 1, 5), quick.finetuners().get(0));
        t.pretrain(Table1Row.CAE, c, 1, 1, new TreeSet<>(List.of(1)), DATA.trainX(), DATA.validX());
        Path dir = t.files(Table1Row.CAE).pretrainDir(1, 1, c);
        Path first = RowFiles.snapshotFile(dir, 1);
        byte[] bytes = Files.readAllBytes(first);
        FileTime time = Files.getLastModifiedTime(first);

        t.pretrain(Table1Row.CAE, c, 1, 1, new TreeSet<>(List.of(1)), DATA.trainX(), DATA.validX());
        assertEquals(time, Files.getLastModifiedTime(first), "a finished pretraining is not redone");

        Candidate longer = new Candidate(Table1Row.CAE, 1.0, Pretraining.adam(1e-2, 16, 3, 5), quick.finetuners().get(0));
        t.pretrain(Table1Row.CAE, longer, 1, 1, new TreeSet<>(List.of(3)), DATA.trainX(), DATA.validX());
        assertEquals(time, Files.getLastModifiedTime(first));
        assertArrayEquals(bytes, Files.readAllBytes(first));
        assertTrue(RowFiles.hasSnapshot(dir, 1) && RowFiles.hasSnapshot(dir, 3));
        assertEquals(3, RowFiles.snapshotReport(dir, 3).get("epochs").asInt());
        // the run is repeatable: the rerun's epoch-1 model is the file's
        SnapshotPretraining.Snapshot again = SnapshotPretraining.run("again", c.layerOptions(quick.hidden()), 16, 5, 1, DATA.trainX(),
                DATA.validX(), new TreeSet<>(List.of(1))).get(0);
        assertArrayEquals(again.ae().W().dup().data().asFloat(), t.snapshot(Table1Row.CAE, c, 1, 1).W().dup().data().asFloat(), 0f);
    }

    @Test
    void theFinetunersWeightDecayIsInTheMlpsObjectiveWithOrWithoutPretraining() {
        Table1Protocol quick = Table1Protocol.quick();
        Training t = new Training(quick, DATA, out, new Steps(10, 0, 0), EpochTimes.DOCUMENTED);
        Finetuner plain = Finetuner.adam(3e-3, 16, 2, 2);
        double l2 = 2e-4;
        PretrainedAutoencoder encoder = Baselines.firstLayerAsEncoder(
                Baselines.randomMlp(DATA.trainX().size(1), quick.hidden(), 1, Activation.SIGMOID, new Adam(1e-3), 11));
        DataSet valid = new DataSet(DATA.validX(), DATA.validY());
        for (Table1Row row : List.of(Table1Row.RANDOM, Table1Row.CAE)) {
            double reg = row == Table1Row.RANDOM ? 0 : 1.0;
            Training.Layers layers = row == Table1Row.RANDOM ? Training.Layers.none() : Training.Layers.of(1, () -> List.of(encoder));
            MultiLayerNetwork without = t.mlp(new Candidate(row, reg, row.pretrained() ? quick.pretrainings().get(0) : null, plain), 5, layers);
            MultiLayerNetwork with = t.mlp(new Candidate(row, reg, row.pretrained() ? quick.pretrainings().get(0) : null, plain.withL2(l2)), 5,
                    layers);
            assertArrayEquals(without.params().data().asFloat(), with.params().data().asFloat(), 0f, row + ": the same initial MLP");
            // DL4J's L2 adds l2/2 * sum of every layer's squared weights (not the biases) to the score
            double sumSquares = 0;
            for (int i = 0; i < with.getnLayers(); i++) {
                for (float w : with.getLayer(i).getParam("W").dup().data().asFloat()) {
                    sumSquares += (double) w * w;
                }
            }
            double expected = 0.5 * l2 * sumSquares;
            double added = with.score(valid) - without.score(valid);
            assertTrue(expected > 1e-5, "a penalty large enough to see: " + expected);
            assertEquals(expected, added, 1e-3 * expected + 1e-6, row + ": the weight decay in the score");
        }
    }
}

package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.Baselines;
import io.github.cae4j.pretrain.LayerReport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference row: DL4J 1.0.0-M2.1's built-in {@code AutoEncoder} pretrained as a user would
 * ({@link Baselines#pretrainDl4jAutoEncoder}), saved like the other rows' pretrainings so that the
 * rest of the row is theirs.
 */
final class Dl4jAutoEncoderRow {

    private Dl4jAutoEncoderRow() {
    }

    static void pretrain(Training t, Candidate c, long seed) throws IOException {
        Path dir = t.files(Table1Row.DL4J_AE).pretrainDir(seed, 1, c);
        int length = c.pretraining().epochs();
        if (RowFiles.hasSnapshot(dir, length)) {
            return;
        }
        Steps steps = t.steps();
        steps.begin("pretrain DL4J's AutoEncoder, seed " + seed, length * t.pretrainEpochSeconds(Table1Row.AE, 1));
        Baselines.Dl4jAutoEncoder b = Baselines.pretrainDl4jAutoEncoder(t.data().trainX(), t.data().validX(), t.protocol().hidden(),
                c.pretraining().updater(), c.pretraining().batch(), length, c.pretraining().patience(), seed);
        RowFiles.saveAutoencoder(RowFiles.snapshotFile(dir, length), b.autoencoder());
        LayerReport r = b.report();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("layer", 1);
        s.put("n_in", r.nIn());
        s.put("n_out", r.nOut());
        s.put("max_epochs", length);
        s.put("epochs", r.epochs());
        s.put("best_epoch", r.bestEpoch() + 1);
        s.put("heldout_objective", r.heldOutScoreByEpoch().get(r.bestEpoch()));
        s.put("heldout_reconstruction", r.heldOutReconstruction());
        s.put("heldout_mean_jacobian_fro", r.heldOutMeanJacobianNorm());
        s.put("seconds", r.seconds());
        s.put("heldout_objective_by_epoch", RowFiles.byEpoch(r.heldOutScoreByEpoch()));
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("candidate", c.describe());
        record.put("seed", seed);
        record.put("snapshots", List.of(s));
        RowFiles.write(dir.resolve(RowFiles.RUN_RECORD), record);
        steps.end();
    }
}

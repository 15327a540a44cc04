package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.data.MnistSplits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plan of {@code --labels 1000} on an empty directory, alone and next to a finished full table
 * (its pretraining records and snapshot files, written here without training): the selections'
 * pretrainings cost nothing; a final seed's counts until the row's choice is known, and then nothing
 * when the full table pretrained the same choice.
 */
class SharedPretrainingsPlanTest {

    @TempDir
    Path dir;

    private static final MnistSplits SIZES = new MnistSplits(Nd4j.zeros(DataType.FLOAT, 50_000, 1),
            Nd4j.eye(10).repeat(0, 5000).castTo(DataType.FLOAT), Nd4j.zeros(DataType.FLOAT, 10_000, 1), null, null, null, "sizes only");

    @Test
    void aFinishedFullTablesPretrainingsAreFreeInTheLabelsPlan() throws IOException {
        Table1Protocol full = Table1Protocol.full();
        Path table = dir.resolve("table1");
        Map<String, Object> digits = new LinkedHashMap<>(Map.of("sha256", "ab".repeat(32), "train_digits", 50_000, "validation_digits", 10_000));
        Files.createDirectories(table);
        RowFiles.write(table.resolve("run.json"), Map.of("protocol", full.describe()));
        RowFiles.write(table.resolve(PretrainingData.FILE), digits);
        int selectionPretrainings = 0;
        for (Table1Row row : List.of(Table1Row.CAE, Table1Row.CAE_H)) {
            List<Candidate> grid = full.grid(row);
            for (Candidate c : Selection.distinctPretrainings(grid)) {
                fake(table, full, row, c, 1, 1, Training.lengths(grid, c));
                selectionPretrainings++;
            }
            // the full table's choice (here the grid's first point) for seeds 2 and 3
            Candidate chosen = grid.get(0);
            for (long seed : new long[]{2, 3}) {
                fake(table, full, row, chosen, 1, seed, new TreeSet<>(List.of(chosen.pretraining().epochs())));
            }
            if (row == Table1Row.CAE_H) {
                for (long seed : new long[]{1, 2, 3}) {
                    fake(table, full, Table1Row.MTC, chosen, 2, seed, new TreeSet<>(List.of(chosen.pretraining().epochs())));
                }
            }
        }

        Table1Protocol semi = full.semiSupervised(1000);
        Path labels = dir.resolve("table1-1000-labels");
        Plan alone = ReproduceTable1.plan(semi, SIZES, labels, EpochTimes.DOCUMENTED, Table1Protocol.SEMI_SUPERVISED_ROWS, null, null, null);
        SharedPretrainings shared = SharedPretrainings.open(table, labels, semi, digits);
        assertNotNull(shared);
        Plan reusing = ReproduceTable1.plan(semi, SIZES, labels, EpochTimes.DOCUMENTED, Table1Protocol.SEMI_SUPERVISED_ROWS, null, null, shared);
        System.out.println("--labels 1000 on an empty directory:\n" + alone.markdown() + "\nnext to a finished full table:\n" + reusing.markdown());
        assertEquals(alone.totalSteps() - selectionPretrainings, reusing.totalSteps(), reusing.markdown());
        double saved = 0;
        for (Table1Row row : List.of(Table1Row.CAE, Table1Row.CAE_H)) {
            for (Candidate c : Selection.distinctPretrainings(full.grid(row))) {
                saved += Training.lengths(full.grid(row), c).last() * new Training(semi, SIZES, labels, null, EpochTimes.DOCUMENTED)
                        .pretrainEpochSeconds(row, 1);
            }
        }
        assertEquals(alone.totalSeconds() - saved, reusing.totalSeconds(), 1e-6, reusing.markdown());
        assertTrue(Files.notExists(labels.resolve("checkpoints")), "the plan copies nothing");

        // once both selections here chose what the full table chose, every remaining pretraining is free
        Plan afterSelections = null;
        Plan afterSelectionsAlone = null;
        for (Table1Row row : List.of(Table1Row.CAE, Table1Row.CAE_H)) {
            Candidate chosen = semi.grid(row).get(0);
            RowFiles files = new RowFiles(labels, row);
            for (int r = 0; r < semi.halving().rounds(); r++) {
                RowFiles.write(files.roundFile(r), Map.of("round", r + 1, "kept", List.of(chosen.id())));
            }
        }
        afterSelectionsAlone = ReproduceTable1.plan(semi, SIZES, labels, EpochTimes.DOCUMENTED, Table1Protocol.SEMI_SUPERVISED_ROWS, null, null,
                null);
        afterSelections = ReproduceTable1.plan(semi, SIZES, labels, EpochTimes.DOCUMENTED, Table1Protocol.SEMI_SUPERVISED_ROWS, null, null,
                shared);
        System.out.println("after both selections, alone:\n" + afterSelectionsAlone.markdown() + "\nreusing:\n" + afterSelections.markdown());
        // a finished selection pretrains nothing again (only round files were written here); what reuse saves: seeds 2 and 3's
        // pretrainings of CAE and CAE+H, the MTC's layer 2 of seeds 1-3, and seed 1's layer 1 (the CAE+H choice's, which the
        // MTC needs and the finished selection no longer pretrains)
        assertEquals(afterSelectionsAlone.totalSteps() - 4 - 3 - 1, afterSelections.totalSteps(), afterSelections.markdown());
        assertTrue(afterSelectionsAlone.markdown().contains("seed 1 encoders: layer 1, layer 2 CAE+H"), afterSelectionsAlone.markdown());
        assertTrue(!afterSelections.markdown().contains("layer 2 CAE+H") && !afterSelections.markdown().contains("pretraining and"),
                afterSelections.markdown());
    }

    /** A finished pretraining's record and (empty) snapshot files, as {@link Training#pretrain} leaves them. */
    private static void fake(Path out, Table1Protocol p, Table1Row owner, Candidate c, int layer, long seed, SortedSet<Integer> lengths)
            throws IOException {
        Path d = new RowFiles(out, owner).pretrainDir(seed, layer, c);
        Files.createDirectories(d);
        List<Map<String, Object>> snaps = new java.util.ArrayList<>();
        for (int l : lengths) {
            Files.write(RowFiles.snapshotFile(d, l), new byte[0]);
            snaps.add(Map.of("layer", layer, "n_in", layer == 1 ? 784 : p.hidden(), "n_out", p.hidden(), "max_epochs", l, "seconds", 1.0));
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("candidate", c.describe());
        record.put("seed", seed + layer - 1);
        record.put("snapshots", snaps);
        RowFiles.write(d.resolve(RowFiles.RUN_RECORD), record);
    }
}

package io.github.cae4j.examples.table1;

import io.github.cae4j.losses.ContractiveLossFunction;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pretraining snapshots every Table 1 row saves: round trip bit for bit, and nothing left behind by a failed write. */
class RowFilesTest {

    private static PretrainedAutoencoder autoencoder() {
        Nd4j.getRandom().setSeed(3);
        return new PretrainedAutoencoder(Nd4j.randn(DataType.FLOAT, 6, 4), Nd4j.randn(DataType.FLOAT, 1, 4),
                Activation.SIGMOID.getActivationFunction(), Nd4j.randn(DataType.FLOAT, 4, 6), Nd4j.randn(DataType.FLOAT, 1, 6),
                Activation.SIGMOID.getActivationFunction(), new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static int[] bits(INDArray a) {
        float[] v = a.data().asFloat();
        int[] bits = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = Float.floatToRawIntBits(v[i]);
        }
        return bits;
    }

    @Test
    void aSnapshotLoadsBackBitForBit(@TempDir Path dir) throws IOException {
        PretrainedAutoencoder ae = autoencoder();
        Path file = dir.resolve("snapshot.bin");
        RowFiles.saveAutoencoder(file, ae);
        PretrainedAutoencoder back = RowFiles.loadAutoencoder(file);
        INDArray[] saved = {ae.W(), ae.b(), ae.decoderW(), ae.decoderB()};
        INDArray[] loaded = {back.W(), back.b(), back.decoderW(), back.decoderB()};
        for (int i = 0; i < saved.length; i++) {
            assertArrayEquals(saved[i].shape(), loaded[i].shape());
            assertArrayEquals(bits(saved[i]), bits(loaded[i]), "array " + i + ", bit for bit");
        }
        assertEquals(List.of("snapshot.bin"), names(dir));
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFileBehind(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("snapshot.bin");
        Files.createDirectories(file.resolve("occupied"));  // a non-empty directory cannot be replaced by the rename
        assertThrows(IOException.class, () -> RowFiles.saveAutoencoder(file, autoencoder()));
        assertEquals(List.of("snapshot.bin"), names(dir));
    }

    /** What an upgrade to the MTC's second grid moves: the results and the selection rounds, nothing else. */
    @Test
    void aRowsResultsAndSelectionGoAsideTogether(@TempDir Path dir) throws IOException {
        assertFalse(RowFiles.hasResults(dir, Table1Row.MTC));
        Path rows = Files.createDirectories(dir.resolve("rows/mtc/selection"));
        assertTrue(RowFiles.hasResults(dir, Table1Row.MTC), "a selection started");
        Files.writeString(rows.resolve("round-1.json"), "{}");
        Files.writeString(dir.resolve("rows/mtc/seed-1.json"), "{}");
        Files.writeString(dir.resolve("rows/mtc/tangents.png"), "png");
        assertEquals(dir.resolve("rows/mtc/first-grid"), RowFiles.keepAsideWithSelection(dir, Table1Row.MTC, "first-grid"));
        assertEquals(List.of("first-grid", "tangents.png"), names(dir.resolve("rows/mtc")));
        assertEquals(List.of("seed-1.json", "selection"), names(dir.resolve("rows/mtc/first-grid")));
        assertEquals(List.of("round-1.json"), names(dir.resolve("rows/mtc/first-grid/selection")));
        assertFalse(RowFiles.hasResults(dir, Table1Row.MTC), "the row starts afresh");
    }
}

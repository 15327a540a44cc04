package io.github.cae4j.examples.tangents;

import io.github.cae4j.tangents.Tangents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TangentFigureTest {

    private static Tangents tangents(int rows, int k) {
        INDArray values = Nd4j.rand(DataType.DOUBLE, rows, k).addi(1);
        INDArray vectors = Nd4j.rand(DataType.DOUBLE, rows, k, TangentFigure.PIXELS).subi(0.5);
        return new Tangents(values, vectors);
    }

    /** Files in {@code dir} other than the figure itself. */
    private static long leftovers(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().equals("tangents.png")).count();
        }
    }

    @Test
    void drawsOneRowPerDigitAndOneTilePerTangentIntoAShareableFile(@TempDir Path dir) throws IOException {
        Nd4j.getRandom().setSeed(7);
        Path png = dir.resolve("tangents.png");
        TangentFigure.write(Nd4j.rand(DataType.DOUBLE, 3, TangentFigure.PIXELS), tangents(3, 4), "three digits", png);

        BufferedImage img = ImageIO.read(png.toFile());
        // 28x28 tiles at 3x with 6-pixel gaps: digit + 4 tangents across (plus a 40-pixel margin), 3 rows of tile + caption down
        assertEquals(6 + 5 * (84 + 6) + 40, img.getWidth());
        assertEquals(30 + 3 * (84 + 16 + 6) + 6, img.getHeight());
        // results are shared like the run's other files, not left owner-only as a temporary file is created
        assertTrue(Files.getPosixFilePermissions(png).contains(PosixFilePermission.OTHERS_READ), "permissions " + Files.getPosixFilePermissions(png));
        assertEquals(0, leftovers(dir));
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFileBehind(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("tangents.png");
        Files.createDirectories(target.resolve("occupied"));  // a non-empty directory cannot be replaced by the rename
        assertThrows(IOException.class,
                () -> TangentFigure.write(Nd4j.rand(DataType.DOUBLE, 1, TangentFigure.PIXELS), tangents(1, 2), "t", target));
        assertEquals(0, leftovers(dir));
    }

    @Test
    void refusesInputsThatAreNot28By28Digits(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TangentFigure.write(Nd4j.rand(DataType.DOUBLE, 2, 12), tangents(2, 1), "t", dir.resolve("t.png")));
        assertTrue(e.getMessage().contains("got 12 columns"), e.getMessage());
    }

    @Test
    void convergedIterationsAreTenTimesTheRunsWithinFortyToAThousand() {
        assertEquals(40, TangentFigure.convergedIterations(1));
        assertEquals(200, TangentFigure.convergedIterations(20));
        assertEquals(1000, TangentFigure.convergedIterations(500));
    }
}

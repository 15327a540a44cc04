package io.github.cae4j.examples.tangents;

import io.github.cae4j.examples.data.ClassRows;
import io.github.cae4j.io.ModelFiles;
import io.github.cae4j.tangents.Tangents;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The Manifold Tangent Classifier paper's tangent figure: each row is a test digit followed by its
 * leading tangents (right singular vectors of the encoder stack's Jacobian), each drawn as a 28x28
 * image with mid-grey = 0, white = positive and black = negative, scaled to the tangent's own largest
 * |entry|; the singular value is written under each tangent.
 */
public final class TangentFigure {

    private static final int SIDE = 28;
    /** The width of the digits (and tangents) it draws. */
    public static final int PIXELS = SIDE * SIDE;
    private static final int SCALE = 3;
    private static final int GAP = 6;
    private static final int TITLE = 30;
    private static final int CAPTION = 16;

    private TangentFigure() {
    }

    /** Draws {@code digits} (one per row) and their tangents into {@code file}, atomically. */
    public static void write(INDArray digits, Tangents tangents, String title, Path file) throws IOException {
        if (digits.size(1) != PIXELS) {
            throw new IllegalArgumentException("TangentFigure draws 28x28 digits (" + PIXELS + " columns), got " + digits.size(1) + " columns");
        }
        int rows = (int) digits.size(0);
        int k = tangents.k();
        int tile = SIDE * SCALE;
        int width = GAP + (k + 1) * (tile + GAP) + 40;
        int height = TITLE + rows * (tile + CAPTION + GAP) + GAP;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(0xe8e8e8));
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(title, GAP, 19);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int r = 0; r < rows; r++) {
            int y0 = TITLE + r * (tile + CAPTION + GAP);
            draw(img, digits.getRow(r).castTo(DataType.FLOAT).toFloatVector(), GAP, y0, false);
            g.drawString("digit", GAP, y0 + tile + 12);
            for (int j = 0; j < k; j++) {
                float[] u = tangents.vectors().get(NDArrayIndex.point(r), NDArrayIndex.point(j), NDArrayIndex.all())
                        .castTo(DataType.FLOAT).toFloatVector();
                int x0 = GAP + (j + 1) * (tile + GAP);
                draw(img, u, x0, y0, true);
                g.drawString(String.format("σ%d=%.3g", j + 1, tangents.values().getDouble(r, j)), x0, y0 + tile + 12);
            }
        }
        g.dispose();
        ModelFiles.writeAtomically(file, out -> ImageIO.write(img, "png", out));
    }

    /**
     * The power iterations that draw converged tangents for a figure: 10x a run's {@code runIterations}
     * (cheap for a few digits), at least 40 and at most 1000.
     */
    public static int convergedIterations(int runIterations) {
        return Math.min(1000, Math.max(40, 10 * runIterations));
    }

    /** The rows of the first example of each class, in order of appearance, {@code count} of them at most. */
    public static int[] onePerClass(INDArray oneHot, int count) {
        int[] rows = ClassRows.first(oneHot, 1);
        return Arrays.copyOf(rows, Math.min(count, rows.length));
    }

    private static void draw(BufferedImage img, float[] v, int x0, int y0, boolean signed) {
        float scale = 0;
        for (float f : v) {
            scale = Math.max(scale, Math.abs(f));
        }
        scale = scale > 0 ? scale : 1;
        for (int p = 0; p < SIDE * SIDE; p++) {
            float level = signed ? 0.5f + 0.5f * v[p] / scale : v[p];
            int gray = Math.max(0, Math.min(255, Math.round(255 * level)));
            for (int dy = 0; dy < SCALE; dy++) {
                for (int dx = 0; dx < SCALE; dx++) {
                    img.getRaster().setSample(x0 + (p % SIDE) * SCALE + dx, y0 + (p / SIDE) * SCALE + dy, 0, gray);
                }
            }
        }
    }
}

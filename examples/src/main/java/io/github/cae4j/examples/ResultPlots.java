package io.github.cae4j.examples;

import io.github.cae4j.examples.data.ClassRows;
import io.github.cae4j.io.ModelFiles;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The pictures: first-layer filters as 28x28 tiles, inputs against reconstructions (both drawn
 * directly into images, enlarged and titled), and XChart line charts for learning curves,
 * contraction curves and spectra. Captions that define the quantities go in the run's report.
 */
public final class ResultPlots {

    private static final int SIDE = 28;

    private ResultPlots() {
    }

    /** Tiles are drawn this many screen pixels per image pixel: 28x28 digits are too small to read at 1x. */
    private static final int SCALE = 3;
    private static final int GAP = 2;
    private static final int LABEL_WIDTH = 170;
    private static final int TITLE_HEIGHT = 26;

    /**
     * The first {@code count} hidden units' weight vectors (columns of W) as a grid of 28x28 tiles,
     * each scaled to its own range (black = its most negative weight, white = its most positive),
     * under a title that says so.
     */
    public static void filters(PretrainedAutoencoder ae, int count, String title, Path file) throws IOException {
        INDArray w = ae.W().castTo(DataType.FLOAT);   // [784, nOut]: column j is filter j
        int n = (int) Math.min(count, w.size(1));
        int cols = (int) Math.ceil(Math.sqrt(n));
        int rows = (n + cols - 1) / cols;
        int tile = SIDE * SCALE + GAP;
        BufferedImage img = canvas(Math.max(cols * tile + GAP, 420), rows * tile + GAP + TITLE_HEIGHT);
        for (int j = 0; j < n; j++) {
            float[] f = w.getColumn(j).toFloatVector();
            drawTile(img, f, (j % cols) * tile + GAP, TITLE_HEIGHT + (j / cols) * tile + GAP, true);
        }
        text(img, title, GAP, 17);
        write(img, file);
    }

    /**
     * One test digit of each class (the first of each, in the test split's order), with each
     * model's reconstruction below it; each row is labelled with the model's name.
     *
     * @param labels one-hot labels of {@code digits}, to pick one digit per class
     */
    public static void reconstructions(INDArray digits, INDArray labels, Map<String, PretrainedAutoencoder> models, Path file)
            throws IOException {
        int[] picked = ClassRows.first(labels, 1);
        INDArray x = Nd4j.pullRows(digits, 1, picked);
        int tile = SIDE * SCALE + GAP;
        BufferedImage img = canvas(LABEL_WIDTH + picked.length * tile + GAP, TITLE_HEIGHT + (models.size() + 1) * tile + GAP);
        text(img, "Test digits (top row) and each autoencoder's reconstruction", GAP, 17);
        drawRow(img, x, "input", TITLE_HEIGHT + GAP);
        int r = 1;
        for (Map.Entry<String, PretrainedAutoencoder> e : models.entrySet()) {
            drawRow(img, e.getValue().reconstruct(x), e.getKey(), TITLE_HEIGHT + r * tile + GAP);
            r++;
        }
        write(img, file);
    }

    private static void drawRow(BufferedImage img, INDArray rows, String label, int y0) {
        int tile = SIDE * SCALE + GAP;
        text(img, label, GAP, y0 + SIDE * SCALE / 2 + 5);
        for (int i = 0; i < rows.size(0); i++) {
            drawTile(img, rows.getRow(i).castTo(DataType.FLOAT).toFloatVector(), LABEL_WIDTH + i * tile, y0, false);
        }
    }

    private static BufferedImage canvas(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(0xd8d8d8));  // mid grey, so an all-white or all-black tile still shows its edges
        g.fillRect(0, 0, width, height);
        g.dispose();
        return img;
    }

    private static void text(BufferedImage img, String s, int x, int y) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(s, x, y);
        g.dispose();
    }

    private static void drawTile(BufferedImage img, float[] v, int x0, int y0, boolean normalise) {
        float lo = 0;
        float hi = 1;
        if (normalise) {
            lo = Float.POSITIVE_INFINITY;
            hi = Float.NEGATIVE_INFINITY;
            for (float f : v) {
                lo = Math.min(lo, f);
                hi = Math.max(hi, f);
            }
        }
        float range = hi > lo ? hi - lo : 1;
        for (int p = 0; p < SIDE * SIDE; p++) {
            int g = Math.max(0, Math.min(255, Math.round(255 * (v[p] - lo) / range)));
            for (int dy = 0; dy < SCALE; dy++) {
                for (int dx = 0; dx < SCALE; dx++) {
                    img.getRaster().setSample(x0 + (p % SIDE) * SCALE + dx, y0 + (p / SIDE) * SCALE + dy, 0, g);
                }
            }
        }
    }

    /** One line per series. */
    public static void lines(String title, String xLabel, String yLabel, Map<String, double[][]> series, boolean logX,
                             boolean logY, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        series.forEach((name, xy) -> {
            double[][] kept = logY ? positiveOnly(xy) : xy;
            if (kept[0].length > 0) {
                chart.addSeries(name, kept[0], kept[1]);
            }
        });
        ModelFiles.writeAtomically(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    /** A log axis cannot show zeros (e.g. singular values beyond the Jacobian's rank). */
    private static double[][] positiveOnly(double[][] xy) {
        int n = 0;
        while (n < xy[1].length && xy[1][n] > 0) {
            n++;
        }
        return new double[][]{java.util.Arrays.copyOf(xy[0], n), java.util.Arrays.copyOf(xy[1], n)};
    }

    private static void write(BufferedImage img, Path file) throws IOException {
        ModelFiles.writeAtomically(file, out -> ImageIO.write(img, "png", out));
    }
}

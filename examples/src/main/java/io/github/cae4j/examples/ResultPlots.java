package io.github.cae4j.examples;

import io.github.cae4j.pretrain.PretrainedAutoencoder;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The pictures: first-layer filters as 28x28 tiles, inputs against reconstructions (both drawn
 * directly into images), and XChart line charts for learning curves, contraction curves and spectra.
 */
public final class ResultPlots {

    private static final int SIDE = 28;

    private ResultPlots() {
    }

    /** The first {@code count} hidden units' weight vectors as a grid of 28x28 tiles, each scaled to its own range. */
    public static void filters(PretrainedAutoencoder ae, int count, Path file) throws IOException {
        INDArray w = ae.W().castTo(DataType.FLOAT);   // [784, nOut]: column j is filter j
        int n = (int) Math.min(count, w.size(1));
        int cols = (int) Math.ceil(Math.sqrt(n));
        int rows = (n + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * (SIDE + 1) + 1, rows * (SIDE + 1) + 1, BufferedImage.TYPE_BYTE_GRAY);
        for (int j = 0; j < n; j++) {
            float[] f = w.getColumn(j).toFloatVector();
            drawTile(img, f, (j % cols) * (SIDE + 1) + 1, (j / cols) * (SIDE + 1) + 1, true);
        }
        write(img, file);
    }

    /** Top row: test digits; one row below per model: its reconstructions. */
    public static void reconstructions(INDArray digits, Map<String, PretrainedAutoencoder> models, Path file) throws IOException {
        int n = (int) Math.min(10, digits.size(0));
        INDArray x = digits.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
        BufferedImage img = new BufferedImage(n * (SIDE + 1) + 1, (models.size() + 1) * (SIDE + 1) + 1, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < n; i++) {
            drawTile(img, x.getRow(i).castTo(DataType.FLOAT).toFloatVector(), i * (SIDE + 1) + 1, 1, false);
        }
        int r = 1;
        for (PretrainedAutoencoder ae : models.values()) {
            INDArray rec = ae.reconstruct(x);
            for (int i = 0; i < n; i++) {
                drawTile(img, rec.getRow(i).castTo(DataType.FLOAT).toFloatVector(), i * (SIDE + 1) + 1, r * (SIDE + 1) + 1, false);
            }
            r++;
        }
        write(img, file);
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
            img.getRaster().setSample(x0 + p % SIDE, y0 + p / SIDE, 0, g);
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
        AtomicFiles.write(file, tmp -> BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG));
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
        AtomicFiles.write(file, tmp -> ImageIO.write(img, "png", tmp.toFile()));
    }
}

package io.github.cae4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code report.html} of the example and of the Table 1 run: the tables (from the run's
 * Markdown), the terms they use, every figure with its caption, and the configuration.
 */
public final class RunReport {

    private RunReport() {
    }

    /** What the tables' columns and the figures' axes mean. */
    static Map<String, String> terms() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("test error %", "Misclassified test digits of the model chosen on validation data; the test digits are used once per model.");
        t.put("validation error %", "Misclassified validation digits of the same model: what early stopping and every choice were made on.");
        t.put("mean ‖J‖_F", "Mean over test digits of ||J_f(x)||_F, the Frobenius norm of the first hidden layer's Jacobian dh/dx:"
                + " how strongly the features react to a small change of the input (lower = more contractive).");
        t.put("SAT %", "The paper's saturation: the share of first-layer sigmoid activations on test digits below 0.05 or above 0.95"
                + " (n/a for ReLU).");
        t.put("input distance", "In the contraction curves: r = ||x' - x||, the Euclidean length of a random perturbation of a test"
                + " digit (pixels in [0, 1], 784 of them).");
        t.put("contraction ratio", "||h(x') - h(x)|| / ||x' - x||, averaged over test digits and random directions.");
        t.put("lambda", "Weight of the contractive penalty lambda ||J_f(x)||_F^2 in the CAE's objective.");
        t.put("± (after a number)", "Sample standard deviation over the seeds; a number without it comes from one seed.");
        return t;
    }

    /** Writes the page atomically; fails if a figure cannot be read (a report never drops one silently). */
    public static void write(Path file, String title, String markdown, List<Figure> figures, String configJson) throws IOException {
        HtmlReport report = new HtmlReport(title).markdown(markdown).heading("Terms").definitions(terms());
        if (!figures.isEmpty()) {
            report.heading("Figures");
            int n = 1;
            for (Figure f : figures) {
                report.figure(f.file(), "Figure " + n++ + ". " + f.caption());
            }
        }
        report.heading("Configuration").preformatted(configJson).write(file);
    }
}

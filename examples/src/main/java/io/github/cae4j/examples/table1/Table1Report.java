package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.Figure;
import io.github.cae4j.examples.ResultPlots;
import io.github.cae4j.examples.ResultsWriter;
import io.github.cae4j.examples.RunReport;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table from every finished row in an output directory (rows finished in earlier runs
 * included): {@code table.json}, {@code table.md} and the cross-row PNGs (contraction curves,
 * Jacobian spectra, learning curves). Each row's filter PNG is written by the row itself.
 */
final class Table1Report {

    private Table1Report() {
    }

    /** @return the finished rows, in table order */
    static List<JsonNode> write(Path out, Map<String, Object> header) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (Table1Row row : Table1Row.values()) {
            if (RowRunner.finished(out, row)) {
                rows.add(RowFiles.read(new RowFiles(out, row).resultFile()));
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>(header);
        doc.put("rows", rows);
        ResultsWriter.writeJson(out.resolve("table.json"), doc);
        String markdown = markdown(rows, header);
        ResultsWriter.writeAtomically(out.resolve("table.md"), markdown);
        List<Figure> figures = rows.isEmpty() ? List.of() : plots(out, rows);
        RunReport.write(out.resolve("report.html"), "cae4j: Table 1 of Rifai et al. (ICML 2011) on MNIST", markdown, figures,
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(header));
        return rows;
    }

    static String markdown(List<JsonNode> rows, Map<String, Object> header) {
        StringBuilder md = new StringBuilder("## Table 1 (Rifai et al., ICML 2011), MNIST, reproduced with cae4j\n\n")
                .append(header.getOrDefault("description", "")).append("\n\n")
                .append("| model | paper % | test error % (mean ± sd) | per seed | validation error % | mean ‖J‖_F (test) | SAT % | chosen on validation | selection | time (selection / pretrain / fine-tune) |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode r : rows) {
            JsonNode sd = r.get("test_error_pct_sd");
            List<String> perSeed = new ArrayList<>();
            for (int i = 0; i < r.get("seeds").size(); i++) {
                perSeed.add(String.format("%.2f (seed %d)", r.get("test_error_pct_per_seed").get(i).asDouble(), r.get("seeds").get(i).asLong()));
            }
            md.append(String.format("| %s | %s | **%.2f**%s | %s | %.2f | %.3f | %.1f | %s | %s | %s / %s / %s |%n",
                    r.get("model").asText(),
                    r.get("paper_test_error_pct").isNull() ? "-" : String.format("%.2f", r.get("paper_test_error_pct").asDouble()),
                    r.get("test_error_pct").asDouble(), sd == null || sd.isNull() ? " (one seed)" : String.format(" ± %.2f", sd.asDouble()),
                    String.join(", ", perSeed), r.get("valid_error_pct").asDouble(), r.get("mean_jacobian_fro").asDouble(),
                    r.get("saturated_pct").asDouble(), r.get("config").get("chosen").asText(), selectionSummary(r),
                    minutes(r.get("selection_s").asDouble()), minutes(r.get("pretrain_s").asDouble()), minutes(r.get("finetune_s").asDouble())));
        }
        md.append("\nThe test error is the mean over the seeds (sample standard deviation after ±); each seed pretrains and fine-tunes"
                + " the chosen setting anew and its final model is tested once. CAE-2 and DL4J's AutoEncoder run one seed. ‖J‖ and SAT"
                + " (means over the seeds) are of the pretrained first layer before fine-tuning (the MTC's is the CAE+H row's).\n");
        md.append("\nSelection rounds (successive halving; validation error % of seed 1 within each round's budget; the kept ones continue, the best full run is chosen):\n\n");
        for (JsonNode r : rows) {
            JsonNode rounds = r.get("selection").get("rounds");
            if (rounds == null || rounds.isEmpty()) {
                continue;
            }
            md.append("- ").append(r.get("model").asText()).append(":");
            for (JsonNode round : rounds) {
                JsonNode candidates = round.get("candidates");
                boolean full = round.get("round").asInt() == round.get("of").asInt();
                if (full) {
                    List<String> finalists = new ArrayList<>();
                    candidates.forEach(c -> finalists.add(String.format("%s: %.2f (best epoch %d of %d)", c.get("label").asText(),
                            c.get("valid_error_pct").asDouble(), c.get("best_epoch").asInt(), c.get("epochs").asInt())));
                    md.append(" full fine-tuning of ").append(candidates.size()).append(": ").append(String.join("; ", finalists)).append(".");
                } else {
                    md.append(String.format(" %s epoch%s: %d candidates (best %s: %.2f), %d kept;", round.get("budget").asText(),
                            round.get("budget").asText().equals("1") ? "" : "s", candidates.size(), candidates.get(0).get("label").asText(),
                            candidates.get(0).get("valid_error_pct").asDouble(), round.get("kept").size()));
                }
            }
            md.append("\n");
        }
        return md.toString();
    }

    /** "56 candidates: λ {…} × pretraining {…} × 6 fine-tuners", or how the row was set. */
    private static String selectionSummary(JsonNode r) {
        JsonNode s = r.get("selection");
        JsonNode grid = s.get("grid");
        if (grid == null) {
            return s.get("selected_by").asText();
        }
        String symbol = r.get("config").get("regularizer").asText();
        String reg = symbol.equals("-") ? "" : symbol + " " + grid.get(symbol) + " × ";
        for (String extra : List.of("gamma", "k")) {
            if (grid.has(extra)) {
                reg = extra + " " + grid.get(extra) + " × " + reg;
            }
        }
        String pre = grid.get("pretrain_epochs").isEmpty() ? "" : "pretraining " + grid.get("pretrain_epochs") + " epochs × ";
        return grid.get("candidates").asInt() + " candidates: " + reg + pre + grid.get("finetuners").size() + " fine-tuners";
    }

    private static String minutes(double seconds) {
        return seconds < 90 ? String.format("%.0f s", seconds) : String.format("%.1f min", seconds / 60);
    }

    private static List<Figure> plots(Path out, List<JsonNode> rows) throws IOException {
        List<Figure> figures = new ArrayList<>();
        Map<String, double[][]> contraction = new LinkedHashMap<>();
        Map<String, double[][]> spectra = new LinkedHashMap<>();
        Map<String, double[][]> finetune = new LinkedHashMap<>();
        Map<String, double[][]> pretrain = new LinkedHashMap<>();
        for (JsonNode r : rows) {
            String name = r.get("model").asText();
            JsonNode d = r.get("diagnostics");
            finetune.put(name, errorCurve(r.get("valid_error_pct_by_epoch")));
            Path tangents = new RowFiles(out, Table1Row.parse(r.get("id").asText())).tangentsPng();
            if (Files.isRegularFile(tangents)) {
                figures.add(new Figure(tangents, "Tangents of the " + name + " row (the MTC paper's figure): a test digit of each of"
                        + " the first classes, then the leading right singular vectors of its encoder stack's Jacobian dh/dx at that"
                        + " digit (grey = 0, white positive, black negative, each scaled to its own largest entry), singular values below."));
            }
            if (sharesFirstLayer(r)) {
                // its diagnostics are of its first layer, the CAE (CAE+H) row's: the same curves would hide that row's
                addPretrainCurves(r, name, pretrain);
                continue;
            }
            contraction.put(name, new double[][]{doubles(d.get("contraction_radii")), doubles(d.get("contraction_ratios"))});
            double[] sv = doubles(d.get("jacobian_singular_values"));
            double[] index = new double[sv.length];
            for (int i = 0; i < index.length; i++) {
                index[i] = i + 1;
            }
            spectra.put(name, new double[][]{index, sv});
            addPretrainCurves(r, name, pretrain);
            Path filters = new RowFiles(out, Table1Row.parse(r.get("id").asText())).filtersPng();
            if (Files.isRegularFile(filters)) {
                figures.add(new Figure(filters, "Filters of the " + name + " row: the first 100 hidden units' weight vectors"
                        + " (columns of W) as 28x28 images, each scaled to its own range."));
            }
        }
        Path file = out.resolve("contraction-curves.png");
        ResultPlots.lines("Contraction ratio ||h(x')-h(x)|| / ||x'-x||, test digits", "input distance r = ||x' - x|| (log scale)",
                "contraction ratio", contraction, true, false, file);
        figures.add(new Figure(file, "Contraction curves of each row's first hidden layer: for test digits x and random directions"
                + " u, x' = x + r u; the mean ratio ||h(x') - h(x)|| / ||x' - x|| against the input distance r (lower = more contractive)."));
        file = out.resolve("jacobian-spectra.png");
        ResultPlots.lines("Singular values of J(x), mean over test digits", "index (largest first)", "singular value (log scale)",
                spectra, false, true, file);
        figures.add(new Figure(file, "Singular values of the first hidden layer's Jacobian dh/dx, averaged over test digits."));
        file = out.resolve("finetune-curves.png");
        ResultPlots.lines("Fine-tuning: validation error (seed 1)", "epoch", "validation error %", finetune, false, false, file);
        figures.add(new Figure(file, "Fine-tuning of each row's MLP with its chosen setting, seed 1: validation error after each epoch; the best epoch's model is kept."));
        if (!pretrain.isEmpty()) {
            file = out.resolve("pretrain-curves.png");
            ResultPlots.lines("Pretraining: held-out objective (reconstruction + penalty)", "epoch", "objective per validation digit (log scale)",
                    pretrain, false, true, file);
            figures.add(new Figure(file, "Pretraining: the objective each autoencoder minimises per validation digit after each"
                    + " epoch: reconstruction cross-entropy summed over the 784 pixels plus the row's penalty (lambda ||J||^2 for"
                    + " CAEs, l2 for AE+wd; the denoising rows' objective is measured on clean digits)."));
        }
        return figures;
    }

    /** Each pretraining's held-out curve once (CAE-2's first layer is the CAE row's and is left out). */
    private static void addPretrainCurves(JsonNode r, String name, Map<String, double[][]> pretrain) {
        for (JsonNode layer : r.get("pretrained_layers")) {
            boolean sharedWithCae = layer.get("layer").asInt() == 1 && sharesFirstLayer(r);
            if (!sharedWithCae) {
                String key = name + (r.get("pretrained_layers").size() > 1 ? " layer " + layer.get("layer").asInt() : "");
                pretrain.put(key, curve(layer.get("heldout_objective_by_epoch"), false));
            }
        }
    }

    /** CAE-2's first layer is the CAE row's, the MTC's the CAE+H row's. */
    private static boolean sharesFirstLayer(JsonNode r) {
        String id = r.get("id").asText();
        return id.equals(Table1Row.CAE_2.id()) || id.equals(Table1Row.MTC.id());
    }

    /** [error % of epoch 1, of epoch 2, ...] as x/y. */
    private static double[][] errorCurve(JsonNode list) {
        double[] x = new double[list.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        return new double[][]{x, doubles(list)};
    }

    private static double[] doubles(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return v;
    }

    /** {epoch: value} as x/y; accuracies as error %. */
    private static double[][] curve(JsonNode byEpoch, boolean accuracyToErrorPct) {
        double[] x = new double[byEpoch.size()];
        double[] y = new double[byEpoch.size()];
        int i = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = byEpoch.fields(); it.hasNext(); i++) {
            Map.Entry<String, JsonNode> e = it.next();
            x[i] = Double.parseDouble(e.getKey());
            y[i] = accuracyToErrorPct ? 100 * (1 - e.getValue().asDouble()) : e.getValue().asDouble();
        }
        return new double[][]{x, y};
    }

    static boolean exists(Path out) {
        return Files.isRegularFile(out.resolve("table.json"));
    }
}

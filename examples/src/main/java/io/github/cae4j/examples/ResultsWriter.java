package io.github.cae4j.examples;

import io.github.cae4j.examples.table1.Ids;
import io.github.cae4j.io.ModelFiles;
import io.github.cae4j.pretrain.LayerReport;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes {@code results.json} (every figure, machine readable) and {@code results.md} (the table),
 * each atomically: a temporary file in the same directory, then a rename.
 */
public final class ResultsWriter {

    private ResultsWriter() {
    }

    /**
     * Mean and sample standard deviation of one row at one label count over seeds.
     *
     * @param finetuneLrs the fine-tuning learning rate each seed kept, in seed order
     */
    public record Summary(ModelRow row, int labels, int seeds, double testErrorMean, double testErrorSd,
                          double validErrorMean, double meanJacobianFro, double saturatedPct,
                          double pretrainSeconds, double finetuneSeconds, List<Double> finetuneLrs) {
    }

    public static List<Summary> summarise(List<RowResult> results) {
        Map<String, List<RowResult>> groups = results.stream().collect(Collectors.groupingBy(
                r -> r.labels() + "|" + r.row().ordinal(), LinkedHashMap::new, Collectors.toList()));
        List<Summary> out = new ArrayList<>();
        for (List<RowResult> g : groups.values()) {
            double[] test = g.stream().mapToDouble(RowResult::testErrorPct).toArray();
            out.add(new Summary(g.get(0).row(), g.get(0).labels(), g.size(), mean(test), sd(test),
                    mean(g.stream().mapToDouble(RowResult::validErrorPct).toArray()),
                    mean(g.stream().mapToDouble(RowResult::meanJacobianFro).toArray()),
                    mean(g.stream().mapToDouble(RowResult::saturatedPct).toArray()),
                    mean(g.stream().mapToDouble(RowResult::pretrainSeconds).toArray()),
                    mean(g.stream().mapToDouble(RowResult::finetuneSeconds).toArray()),
                    g.stream().map(RowResult::finetuneLr).toList()));
        }
        out.sort((a, b) -> a.labels() != b.labels() ? Integer.compare(a.labels(), b.labels()) : a.row().compareTo(b.row()));
        return out;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    static double sd(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double s = 0;
        for (double d : v) {
            s += (d - m) * (d - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    public static void writeJson(Path file, Map<String, Object> document) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        writeAtomically(file, mapper.writeValueAsString(document));
    }

    public static String markdown(List<Summary> summaries, Map<Double, double[]> lambdaSweep, String header) {
        StringBuilder md = new StringBuilder(header).append("\n");
        int currentLabels = -1;
        for (Summary s : summaries) {
            if (s.labels() != currentLabels) {
                currentLabels = s.labels();
                md.append("\n### ").append(currentLabels).append(" labelled digits\n\n")
                        .append("| model | MLP | test error % | validation error % | Adam rate kept (per seed) | mean ‖J‖_F (test) | SAT % | pretrain s | fine-tune s |\n")
                        .append("|---|---|---|---|---|---|---|---|---|\n");
            }
            String shape = s.row().hiddenLayers() == 1 ? "784-h-10" : "784-h-h-10";
            md.append(String.format("| %s | %s | %s | %.2f | %s | %.3f | %s | %.0f | %.0f |%n", s.row().label(), shape,
                    s.seeds() > 1 ? String.format("%.2f ± %.2f", s.testErrorMean(), s.testErrorSd()) : String.format("%.2f", s.testErrorMean()),
                    s.validErrorMean(), s.finetuneLrs().stream().map(Ids::number).collect(Collectors.joining(", ")), s.meanJacobianFro(), Double.isNaN(s.saturatedPct()) ? "n/a" : String.format("%.1f", s.saturatedPct()),
                    s.pretrainSeconds(), s.finetuneSeconds()));
        }
        if (!lambdaSweep.isEmpty()) {
            md.append("\n### Contraction against lambda (first seed, test digits)\n\n| lambda | mean ‖J‖_F | reconstruction (cross-entropy per digit) |\n|---|---|---|\n");
            lambdaSweep.forEach((l, v) -> md.append(String.format("| %s | %.3f | %.2f |%n", l, v[0], v[1])));
        }
        return md.toString();
    }

    /** One line per pretrained layer: what the pretrainer reports on held-out digits. */
    public static String pretrainingMarkdown(Map<String, List<LayerReport>> reports) {
        if (reports.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n### Pretrained layers (held-out digits)\n\n")
                .append("| row | layer | shape | lambda | masking | gaussian | reconstruction | mean ‖J‖_F | epochs (best) | seconds |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        reports.forEach((row, layers) -> layers.forEach(r -> md.append(String.format("| %s | %d | %d-%d | %s | %s | %s | %.2f | %.3f | %d (%d) | %.0f |%n",
                row, r.layer() + 1, r.nIn(), r.nOut(), r.lambda(), r.corruptionLevel(), r.gaussianNoise(), r.heldOutReconstruction(),
                r.heldOutMeanJacobianNorm(), r.epochs(), r.bestEpoch() + 1, r.seconds()))));
        return md.toString();
    }

    public static void writeAtomically(Path file, String content) throws IOException {
        ModelFiles.writeStringAtomically(file, content);
    }
}

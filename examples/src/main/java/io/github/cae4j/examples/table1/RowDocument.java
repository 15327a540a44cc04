package io.github.cae4j.examples.table1;

import org.nd4j.shade.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished row's {@code row.json}: the means over its seeds ({@code test_error_pct},
 * {@code valid_error_pct}, ‖J‖, SAT), the sample standard deviation and the value of each seed, the
 * chosen setting, the grid and every selection round, and the first seed's curves and diagnostics.
 */
final class RowDocument {

    private RowDocument() {
    }

    static Map<String, Object> of(Table1Row row, Table1Protocol protocol, Candidate chosen, List<JsonNode> rounds, List<JsonNode> seeds,
                                  double selectionSeconds, String gitCommit) {
        JsonNode first = seeds.get(0);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", row.label());
        doc.put("id", row.id());
        double paper = row.paperTestErrorPct(protocol.labels());
        doc.put("paper_test_error_pct", Double.isNaN(paper) ? null : paper);
        if (protocol.labels() > 0) {
            doc.put("labels", protocol.labels());
        }
        doc.put("seeds", seeds.stream().map(s -> s.get("seed").asLong()).toList());
        double[] test = values(seeds, "test_error_pct");
        double[] valid = values(seeds, "valid_error_pct");
        doc.put("test_error_pct", mean(test));
        doc.put("test_error_pct_sd", sd(test));
        doc.put("test_error_pct_per_seed", toList(test));
        doc.put("valid_error_pct", mean(valid));
        doc.put("valid_error_pct_sd", sd(valid));
        doc.put("valid_error_pct_per_seed", toList(valid));
        doc.put("mean_jacobian_fro", mean(values(seeds, "mean_jacobian_fro")));
        doc.put("saturated_pct", mean(values(seeds, "saturated_pct")));
        doc.put("pretrain_s", sum(values(seeds, "pretrain_s")));
        doc.put("finetune_s", sum(values(seeds, "finetune_s")));
        doc.put("selection_s", selectionSeconds);
        doc.put("pretrain_epochs", first.get("pretrain_epochs").asInt());
        doc.put("finetune_epochs", first.get("finetune_epochs").asInt());
        doc.put("finetune_best_epoch", first.get("finetune_best_epoch").asInt());
        doc.put("git_commit", gitCommit);
        doc.put("config", config(row, protocol, chosen));
        doc.put("selection", selection(row, protocol, chosen, rounds));
        List<Map<String, Object>> perSeed = new ArrayList<>();
        for (JsonNode s : seeds) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String k : List.of("seed", "test_error_pct", "valid_error_pct", "mean_jacobian_fro", "saturated_pct", "pretrain_epochs",
                    "finetune_epochs", "finetune_best_epoch", "finetune_stopped", "pretrain_s", "finetune_s")) {
                m.put(k, s.get(k));
            }
            perSeed.add(m);
        }
        doc.put("per_seed", perSeed);
        doc.put("pretrained_layers", first.get("pretrained_layers"));
        doc.put("valid_error_pct_by_epoch", first.get("valid_error_pct_by_epoch"));
        doc.put("diagnostics", first.get("diagnostics"));
        return doc;
    }

    private static Map<String, Object> config(Table1Row row, Table1Protocol protocol, Candidate chosen) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("chosen", chosen.label());
        c.put("regularizer", row.regularizer().symbol());
        c.put("regularization", chosen.regularization());
        c.put("pretrain", chosen.pretraining() == null ? null : chosen.pretraining().describe());
        c.put("finetune", chosen.finetuner().describe());
        c.put("hidden", protocol.hidden());
        c.put("hidden_layers", row.hiddenLayers());
        c.put("encoder", "sigmoid, tied decoder, sigmoid output, cross-entropy summed over pixels");
        if (chosen.higherOrder() != null) {
            c.put("higher_order", chosen.higherOrder().describe());
        }
        if (row == Table1Row.MTC) {
            c.put("tangents_k", chosen.tangents());
            c.put("beta", chosen.regularization());
            c.put("tangent_iterations", protocol.followUps().tangentIterations());
            c.put("encoders", "layer 1: the CAE+H row's choice (its file); layer 2: CAE+H with the same setting on layer 1's codes;"
                    + " tangents: the leading k right singular vectors of d h2 / dx, once per seed at k " + protocol.followUps().maxTangents());
            c.put("penalty", "beta * sum over the k tangents u of ||dp/dx u||^2 on the softmax outputs p (TangentPropOutputLayer)");
        }
        c.put("finetune_early_stopping", "validation error, patience " + chosen.finetuner().patience());
        if (protocol.labels() > 0) {
            c.put("finetune_labels", protocol.labels() + " labelled training digits (" + protocol.labels() / 10 + " per class, the first in"
                    + " the training order); pretraining on all training digits without labels");
        }
        return c;
    }

    private static Map<String, Object> selection(Table1Row row, Table1Protocol protocol, Candidate chosen, List<JsonNode> rounds) {
        Map<String, Object> s = new LinkedHashMap<>();
        switch (row) {
            case DL4J_AE -> s.put("selected_by", "no selection: one setting, for reference");
            default -> {
                List<Candidate> grid = row == Table1Row.CAE_2 ? protocol.cae2Grid(chosen.forRow(Table1Row.CAE)) : protocol.grid(row);
                s.put("selected_by", "successive halving on the validation error of seed " + protocol.seeds().get(0));
                Map<String, Object> g = new LinkedHashMap<>();
                g.put(row.regularizer().symbol(), row == Table1Row.CAE_2 ? List.of(chosen.regularization()) : protocol.regularization().get(row));
                if (row == Table1Row.CAE_H) {
                    g.put("gamma", protocol.followUps().gammas());
                }
                if (row == Table1Row.MTC) {
                    g.put("k", protocol.followUps().tangents());
                    s.put("encoders_selected_by", "the CAE+H row's selection");
                }
                if (row == Table1Row.CAE_2) {
                    s.put("encoders_selected_by", "the CAE row's selection (layer 1 is that row's seed-1 model; layer 2 pretrained with its"
                            + " lambda and length)");
                }
                g.put("pretrain_epochs", grid.stream().filter(c -> c.pretraining() != null).map(c -> c.pretraining().epochs()).distinct().toList());
                g.put("finetuners", (row == Table1Row.MTC ? protocol.followUps().mtcFinetuners() : protocol.finetuners()).stream()
                        .map(Finetuner::label).toList());
                g.put("candidates", grid.size());
                s.put("grid", g);
                s.put("halving", protocol.halving(row).describe());
                s.put("rounds", rounds);
            }
        }
        return s;
    }

    static double[] values(List<JsonNode> docs, String key) {
        return docs.stream().mapToDouble(d -> d.get(key).asDouble()).toArray();
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample standard deviation (n - 1); null for one value. */
    static Double sd(double[] v) {
        if (v.length < 2) {
            return null;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    private static List<Double> toList(double[] v) {
        List<Double> l = new ArrayList<>();
        for (double x : v) {
            l.add(x);
        }
        return l;
    }
}

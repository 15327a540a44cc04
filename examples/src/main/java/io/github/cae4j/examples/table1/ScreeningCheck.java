package io.github.cae4j.examples.table1;


import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Does screening rank like full runs? For a few grid points of one row ({@code checkPoints}, drawn
 * with the first seed), fine-tunes each to its full budget (continuing any selection run of the same
 * candidate), and compares the ranking by validation error at each short round's budget with the
 * ranking at the full budget: Spearman's rho, Kendall's tau-b and whether the best point agrees.
 * Validation digits only. Writes {@code rows/<row>/screening-check.json} and {@code .md}.
 */
final class ScreeningCheck {

    private ScreeningCheck() {
    }

    static List<Candidate> points(Table1Protocol protocol, Table1Row row) {
        if (row == Table1Row.CAE_2) {
            throw new IllegalArgumentException("--check-screening cae-2: not supported (its candidates fine-tune on the CAE row's chosen"
                    + " layers, which the check does not prepare); check cae, whose fine-tuners are the same");
        }
        List<Candidate> grid = protocol.grid(row);
        if (row == Table1Row.MTC) {
            throw new IllegalArgumentException("--check-screening mtc: not supported (its candidates fine-tune on the CAE+H row's encoders"
                    + " and tangents, which the check does not prepare); check cae-h, whose grid is of the same kind as cae");
        }
        if (grid.size() < 2) {
            throw new IllegalArgumentException("--check-screening " + row.id() + ": the row has " + grid.size()
                    + " grid point(s) and nothing to rank; rows with a grid: random, ae, ae+wd, dae-g, dae-b, cae, cae-h");
        }
        List<Candidate> shuffled = new ArrayList<>(grid);
        Collections.shuffle(shuffled, new Random(protocol.seeds().get(0)));
        List<Candidate> points = new ArrayList<>(shuffled.subList(0, Math.min(protocol.checkPoints(), grid.size())));
        points.sort(Comparator.comparingInt(grid::indexOf));
        return points;
    }

    static Map<String, Object> run(Training t, Table1Row row) throws IOException {
        Table1Protocol protocol = t.protocol();
        List<Candidate> grid = protocol.grid(row);
        List<Candidate> points = points(protocol, row);
        long seed = Selection.seed(t);
        for (Candidate c : Selection.distinctPretrainings(points)) {
            t.pretrain(row, c, 1, seed, Training.lengths(grid, c), t.data().trainX(), t.data().validX());
        }
        List<FineTuneRun.Progress> runs = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Candidate c = points.get(i);
            runs.add(t.finetune(row, c, seed, c.finetuner().maxEpochs(), Selection.layers(t, row, c, seed),
                    String.format("%s screening check, point %d/%d (%s), full budget", row.label(), i + 1, points.size(), c.label())));
        }
        double[] full = runs.stream().mapToDouble(FineTuneRun.Progress::bestErrorPct).toArray();
        List<Map<String, Object>> budgets = new ArrayList<>();
        for (int budget : protocol.halving(row).roundEpochs()) {
            double[] screened = runs.stream().mapToDouble(p -> p.bestWithin(budget)).toArray();
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("budget_epochs", budget);
            b.put("spearman", finiteOrNull(RankCorrelation.spearman(screened, full)));
            b.put("kendall_tau_b", finiteOrNull(RankCorrelation.kendallTauB(screened, full)));
            b.put("same_best", argmin(screened) == argmin(full));
            b.put("valid_error_pct", toList(screened));
            b.put("ranks", toList(RankCorrelation.ranks(screened)));
            budgets.add(b);
        }
        List<Map<String, Object>> table = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("candidate", points.get(i).id());
            p.put("label", points.get(i).label());
            p.put("full_valid_error_pct", full[i]);
            p.put("full_epochs", runs.get(i).epochs());
            p.put("full_best_epoch", runs.get(i).bestEpoch());
            table.add(p);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("row", row.id());
        doc.put("seed", seed);
        doc.put("points", table);
        doc.put("full_ranks", toList(RankCorrelation.ranks(full)));
        doc.put("by_budget", budgets);
        doc.put("measured_on", "validation digits only");
        RowFiles files = t.files(row);
        RowFiles.write(files.screeningCheckFile("json"), doc);
        io.github.cae4j.examples.ResultsWriter.writeAtomically(files.screeningCheckFile("md"), markdown(row, points, runs, budgets));
        return doc;
    }

    private static String markdown(Table1Row row, List<Candidate> points, List<FineTuneRun.Progress> runs, List<Map<String, Object>> budgets) {
        StringBuilder md = new StringBuilder("## Does screening rank like full runs? " + row.label() + ", " + points.size()
                + " grid points, validation error %\n\n| candidate | full budget (best epoch / epochs) |");
        for (Map<String, Object> b : budgets) {
            md.append(" after ").append(b.get("budget_epochs")).append((Integer) b.get("budget_epochs") == 1 ? " epoch |" : " epochs |");
        }
        md.append("\n|---|---|").append("---|".repeat(budgets.size())).append("\n");
        for (int i = 0; i < points.size(); i++) {
            FineTuneRun.Progress p = runs.get(i);
            md.append(String.format("| %s | %.2f (%d / %d) |", points.get(i).label(), p.bestErrorPct(), p.bestEpoch(), p.epochs()));
            for (Map<String, Object> b : budgets) {
                md.append(String.format(" %.2f |", p.bestWithin((Integer) b.get("budget_epochs"))));
            }
            md.append("\n");
        }
        md.append("| **Spearman / Kendall vs full** | |");
        for (Map<String, Object> b : budgets) {
            md.append(" ").append(fmt(b.get("spearman"))).append(" / ").append(fmt(b.get("kendall_tau_b")))
                    .append(Boolean.TRUE.equals(b.get("same_best")) ? ", same best" : ", other best").append(" |");
        }
        return md.append("\n").toString();
    }

    private static String fmt(Object v) {
        return v == null ? "n/a" : String.format("%.2f", (Double) v);
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static int argmin(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] < v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static List<Double> toList(double[] v) {
        List<Double> l = new ArrayList<>();
        for (double x : v) {
            l.add(x);
        }
        return l;
    }

    /** Pending steps at most: the points' pretrainings and full fine-tunings. */
    static void plan(Training t, Table1Row row, Plan plan) throws IOException {
        plan.startPart("screening check of " + row.label());
        long seed = Selection.seed(t);
        List<Candidate> grid = t.protocol().grid(row);
        List<Candidate> points = points(t.protocol(), row);
        for (Candidate c : Selection.distinctPretrainings(points)) {
            if (!RowFiles.hasSnapshot(t.files(row).pretrainDir(seed, 1, c), Training.lengths(grid, c).last())) {
                plan.step(Training.lengths(grid, c).last() * t.pretrainEpochSeconds(row, 1));
            }
        }
        int epochs = 0;
        for (Candidate c : points) {
            FineTuneRun.Progress p = FineTuneRun.progress(t.files(row).candidateDir(seed, c));
            if (!p.reached(c.finetuner().maxEpochs())) {
                plan.step((c.finetuner().maxEpochs() - p.epochs()) * t.finetuneEpochSeconds(c.finetuner(), 1));
                epochs += c.finetuner().maxEpochs() - p.epochs();
            }
        }
        plan.note(points.size() + " points to the full budget: <=" + epochs + " fine-tuning epochs");
    }

}

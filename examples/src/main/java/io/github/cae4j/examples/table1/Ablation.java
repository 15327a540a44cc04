package io.github.cae4j.examples.table1;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ablation on validation error: every combination of a row's regularisation values,
 * pretrainings and fine-tuners, each fine-tuned to its full budget with the first seed (runs
 * shared with the row's selection or another ablation are continued, not repeated). Writes
 * {@code <dir>/ablation.json} and {@code <dir>/ablation.md} (one line per regularisation value and
 * pretraining, one column per fine-tuner). The test digits are not used.
 *
 * @param name           which ablation ({@link #NAMES}); its directory is {@link #dir()}
 * @param row            the row (CAE by default)
 * @param regularization its regulariser's values
 * @param pretrainings   pretrainings: lengths of one run, or runs of different optimisers
 * @param finetuners     fine-tuners
 */
record Ablation(String name, Table1Row row, List<Double> regularization, List<Pretraining> pretrainings, List<Finetuner> finetuners)
        implements Study {

    /**
     * The fine-tuner ablation (the default of {@code --ablation}), the pretraining optimiser's, Adam's
     * rate above the grid, Adam with a decaying rate, and the lab's fine-tuning recipes.
     */
    static final List<String> NAMES = List.of("finetuners", "pretraining", "adam-rate", "adam-decay", "lab-finetuning");

    Ablation {
        requireKnown(name);
        regularization = List.copyOf(regularization);
        pretrainings = List.copyOf(pretrainings);
        finetuners = List.copyOf(finetuners);
        if (!row.pretrained() || row == Table1Row.CAE_2 || row == Table1Row.DL4J_AE) {
            throw new IllegalArgumentException("Ablation: row must be one of ae, ae+wd, dae-g, dae-b, cae, got " + row.id());
        }
        if (regularization.isEmpty() || pretrainings.isEmpty() || finetuners.isEmpty()) {
            throw new IllegalArgumentException("Ablation: every axis needs a value, got " + regularization + ", " + pretrainings + ", " + finetuners);
        }
    }

    /**
     * CAE: lambda {1, 3} x pretraining {20, 60, 100} epochs (the table's lengths and a longer one) x
     * {Adam 1e-3; Nesterov 0.03; the authors' lab's plain SGD 0.1, batch 20}: 18 full fine-tunings
     * (docs/table1-protocol.md has its cost).
     */
    static Ablation full() {
        Pretraining adam = Table1Protocol.full().pretrainings().get(0);
        return new Ablation("finetuners", Table1Row.CAE, List.of(1.0, 3.0), List.of(adam.withEpochs(20), adam.withEpochs(60), adam.withEpochs(100)),
                List.of(Finetuner.adam(1e-3, 100, 60, 10), Finetuner.nesterovs(0.03, 0.9, 0.97, 100, 60, 10),
                        Finetuner.sgd(0.1, 0.97, 20, 60, 10)));
    }

    /**
     * CAE: lambda {1, 3} x {the table's pretraining (Adam 1e-3, minibatch 128, up to 60 epochs); the
     * authors' lab's plain SGD 0.1 with minibatch 20 (cae.py's setting), up to 20, 60 and 100 epochs}
     * x {Adam 1e-3, Adam 3e-3}: does the lab's pretraining optimiser give features that fine-tune
     * better? 16 full fine-tunings, 4 of them shared with the table's selection or the fine-tuner
     * ablation.
     */
    static Ablation pretrainingOptimiser() {
        Pretraining sgd = new Pretraining(Optimizer.SGD, 0.1, 20, 0, 100, 10);
        return new Ablation("pretraining", Table1Row.CAE, List.of(1.0, 3.0),
                List.of(Table1Protocol.full().pretrainings().get(1), sgd.withEpochs(20), sgd.withEpochs(60), sgd),
                List.of(Finetuner.adam(1e-3, 100, 60, 10), Finetuner.adam(3e-3, 100, 60, 10)));
    }

    /**
     * CAE: lambda {1, 3} x the table's pretraining up to 60 epochs x Adam {3e-3, 1e-2}: the table chose
     * Adam 3e-3, the top of its Adam grid, so does the next half-decade fine-tune better? 4 full
     * fine-tunings, the two at 3e-3 shared with the table's selection.
     */
    static Ablation adamRate() {
        return new Ablation("adam-rate", Table1Row.CAE, List.of(1.0, 3.0), List.of(Table1Protocol.full().pretrainings().get(1)),
                List.of(Finetuner.adam(3e-3, 100, 60, 10), Finetuner.adam(1e-2, 100, 60, 10)));
    }

    /**
     * CAE: lambda {1, 3} x the table's pretraining up to 60 epochs x Adam with a rate multiplied after
     * every epoch: 3e-3 by 0.8, 0.9 and 0.95, and 1e-2 by 0.8. The table's constant Adam 3e-3 finds
     * its best epoch at 18-23 while its validation error still jumps by up to 0.4 points from one epoch
     * to the next: does annealing the rate settle into a lower one? 8 full fine-tunings, all new.
     */
    static Ablation adamDecay() {
        return new Ablation("adam-decay", Table1Row.CAE, List.of(1.0, 3.0), List.of(Table1Protocol.full().pretrainings().get(1)),
                List.of(Finetuner.adam(3e-3, 0.8, 100, 60, 10), Finetuner.adam(3e-3, 0.9, 100, 60, 10),
                        Finetuner.adam(3e-3, 0.95, 100, 60, 10), Finetuner.adam(1e-2, 0.8, 100, 60, 10)));
    }

    /**
     * CAE: the table's choice (lambda 3, pretraining up to 60 epochs) x the lab's fine-tuning recipes
     * not tried so far: mlp.py's weight decay ({@code 1e-4 ΣW²}, DL4J's l2 2e-4) and a tenth of it on
     * the table's Adam 3e-3; mlp.py's recipe (plain SGD, minibatch 20, constant rate, weight decay)
     * with the rate 0.1 of the pretrained nets, over a budget of up to 100 epochs with patience 30 (the
     * ×0.97 SGD of the first ablation was still improving at its 60-epoch limit; a first run with a
     * 300-epoch budget was at 2.05 % after 73 epochs, far above Adam's 1.36 %, and was cut to 100 so as
     * not to hold up the table's rows). 3 full fine-tunings, cheapest first. SdA.py's single-example
     * SGD is not in it: one epoch is 50,000 DL4J steps of about 2.9 ms each (145 s, 25 times an epoch
     * at minibatch 100), so its 60 epochs would cost 2.4 h.
     */
    static Ablation labFinetuning() {
        return new Ablation("lab-finetuning", Table1Row.CAE, List.of(3.0), List.of(Table1Protocol.full().pretrainings().get(1)),
                List.of(Finetuner.adam(3e-3, 100, 60, 10).withL2(2e-4), Finetuner.adam(3e-3, 100, 60, 10).withL2(2e-5),
                        Finetuner.sgd(0.1, 1, 20, 100, 30).withL2(2e-4)));
    }

    /** The full ablation called {@code name}; an unknown name is refused with the allowed ones. */
    static Ablation named(String name) {
        requireKnown(name);
        return switch (name) {
            case "pretraining" -> pretrainingOptimiser();
            case "adam-rate" -> adamRate();
            case "adam-decay" -> adamDecay();
            case "lab-finetuning" -> labFinetuning();
            default -> full();
        };
    }

    private static void requireKnown(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("Ablation: unknown ablation '" + name + "'; allowed: " + String.join(", ", NAMES));
        }
    }

    /**
     * The quick protocol's CAE grid with both of its fine-tuners; for the pretraining ablation, its
     * pretraining beside a plain SGD one.
     */
    static Ablation quick(String name) {
        Table1Protocol q = Table1Protocol.quick();
        List<Pretraining> pretrainings = q.pretrainings();
        if ("pretraining".equals(name)) {
            Pretraining adam = pretrainings.get(pretrainings.size() - 1);
            pretrainings = List.of(adam, new Pretraining(Optimizer.SGD, 0.05, adam.batch(), 0, adam.epochs(), adam.patience()));
        }
        return new Ablation(name, Table1Row.CAE, q.regularization().get(Table1Row.CAE), pretrainings, q.finetuners());
    }

    /** {@code ablation} for the fine-tuners' (where it always was), {@code ablation-<name>} for the others. */
    @Override
    public String dir() {
        return "finetuners".equals(name) ? "ablation" : "ablation-" + name;
    }

    List<Candidate> points() {
        List<Candidate> points = new ArrayList<>();
        for (double r : regularization) {
            for (Pretraining p : pretrainings) {
                for (Finetuner f : finetuners) {
                    points.add(new Candidate(row, r, p, f));
                }
            }
        }
        return points;
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("row", row.id());
        if (!"finetuners".equals(name)) {
            // the fine-tuner ablation's grid file predates the name; it stays as it was
            m.put("ablation", name);
        }
        m.put(row.regularizer().symbol(), regularization);
        m.put("pretrainings", pretrainings.stream().map(Pretraining::describe).toList());
        m.put("finetuners", finetuners.stream().map(Finetuner::describe).toList());
        return m;
    }

    @Override
    public Map<String, Object> run(Training t) throws IOException {
        Path dir = t.out().resolve(dir());
        RowFiles.requireSameGrid(dir, describe());
        List<Candidate> points = points();
        long seed = Selection.seed(t);
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Candidate c = points.get(i);
            // each pretraining just before its first fine-tuning, so a partial run has whole lines of the table
            t.pretrain(row, c, 1, seed, Training.lengths(points, c), t.data().trainX(), t.data().validX());
            FineTuneRun.Progress p = t.finetune(row, c, seed, c.finetuner().maxEpochs(), Selection.layers(t, row, c, seed),
                    String.format("ablation point %d/%d (%s)", i + 1, points.size(), c.label()));
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("candidate", c.id());
            e.put(row.regularizer().symbol(), c.regularization());
            e.put("pretraining", c.pretraining().runId());
            e.put("pretrain_epochs", c.pretraining().epochs());
            e.put("finetuner", c.finetuner().label());
            e.put("valid_error_pct", p.bestErrorPct());
            e.put("best_epoch", p.bestEpoch());
            e.put("epochs", p.epochs());
            e.put("stopped", p.stopped());
            e.put("pretrain_heldout_mean_jacobian_fro", t.snapshotReport(row, c, 1, seed).get("heldout_mean_jacobian_fro").asDouble());
            results.add(e);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("grid", describe());
        doc.put("seed", seed);
        doc.put("measured_on", "validation digits only");
        doc.put("points", results);
        RowFiles.write(dir.resolve("ablation.json"), doc);
        io.github.cae4j.examples.ResultsWriter.writeAtomically(dir.resolve("ablation.md"), markdown(results));
        return doc;
    }

    private String markdown(List<Map<String, Object>> results) {
        StringBuilder md = new StringBuilder("## Ablation on " + row.label() + ": validation error % (best epoch / epochs), seed 1\n\n| "
                + row.regularizer().symbol() + " | pretraining | epochs (limit) |");
        finetuners.forEach(f -> md.append(" ").append(f.label()).append(" |"));
        md.append("\n|---|---|---|").append("---|".repeat(finetuners.size())).append("\n");
        int k = 0;
        for (double r : regularization) {
            for (Pretraining p : pretrainings) {
                md.append("| ").append(Ids.number(r)).append(" | ").append(p.runId()).append(" | ").append(p.epochs()).append(" |");
                for (int f = 0; f < finetuners.size(); f++, k++) {
                    md.append(cell(results.get(k)));
                }
                md.append("\n");
            }
        }
        return md.toString();
    }

    /** A point's table cell: {@code  1.23 (best epoch / epochs) |}. */
    static String cell(Map<String, Object> point) {
        return String.format(" %.2f (%d / %d) |", (Double) point.get("valid_error_pct"), (Integer) point.get("best_epoch"),
                (Integer) point.get("epochs"));
    }

    @Override
    public void plan(Training t, Plan plan) throws IOException {
        plan.startPart(name + " ablation of " + row.label());
        long seed = Selection.seed(t);
        List<Candidate> points = points();
        for (Candidate c : Selection.distinctPretrainings(points)) {
            if (!t.pretrained(row, c, 1, seed, Training.lengths(points, c))) {
                plan.step(Training.lengths(points, c).last() * t.pretrainEpochSeconds(row, 1));
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

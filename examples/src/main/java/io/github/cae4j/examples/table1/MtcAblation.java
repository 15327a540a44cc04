package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.ResultsWriter;
import io.github.cae4j.pretrain.PretrainedStack;
import io.github.cae4j.tangents.ManifoldTangents;
import io.github.cae4j.tangents.Tangents;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MTC's ablation on validation error ({@code --ablation mtc}): the MTC row's choice (its k, beta
 * and fine-tuner) on seed 1's stack and tangents, against beta 0 (the same two CAE+H layers fine-tuned
 * without the tangent penalty, a plain MLP), a tenth and ten times the chosen beta, each with the
 * chosen fine-tuner and with that fine-tuner's rate multiplied by {@value #DECAY} after every epoch.
 * Does the penalty help at all, does a quieter end of training help it, and did the selection's short
 * rounds drop a larger beta that starts slower but ends better? Eight full fine-tunings, the choice
 * itself shared with the row's selection (continued, not repeated). Needs the MTC row's finished
 * selection; writes {@code ablation-mtc/ablation.json} and {@code .md}, with each point's
 * {@link TangentSensitivity} on the first {@value #SENSITIVITY_DIGITS} validation digits (how far its
 * output moves along their tangents against random directions). The test digits are not used.
 */
final class MtcAblation implements Study {

    static final String NAME = "mtc";
    /** The per-epoch rate factor of the second fine-tuner of each beta (the CAE's adam-decay ablation's middle value). */
    static final double DECAY = 0.9;
    /** The first validation digits whose tangents measure each point's {@link TangentSensitivity}. */
    static final int SENSITIVITY_DIGITS = 1000;

    private MtcAblation() {
    }

    /** The one MTC ablation: its points are derived from the row's choice, in the quick setting as in the full one. */
    static MtcAblation standard() {
        return new MtcAblation();
    }

    @Override
    public String dir() {
        return "ablation-" + NAME;
    }

    /** Its points fine-tune through {@link Training}, on the labelled digits there are. */
    @Override
    public boolean runsWithLabels() {
        return true;
    }

    /** The MTC row's choice; refused with what to run first when its selection has not finished. */
    static Candidate chosen(Training t) throws IOException {
        Candidate c = Selection.chosenIfKnown(t, Table1Row.MTC);
        if (c == null) {
            throw new IllegalArgumentException("--ablation mtc varies the MTC row's choice, and its selection has not finished in "
                    + t.out() + ": run --rows mtc first (it may stop after the selection)");
        }
        return c;
    }

    /** The chosen fine-tuner, then the same with its rate decaying by {@value #DECAY} per epoch. */
    static List<Finetuner> finetuners(Candidate chosen) {
        Finetuner f = chosen.finetuner();
        return List.of(f, new Finetuner(f.optimizer(), f.lr(), f.batch(), f.momentum(), f.lrDecayPerEpoch() * DECAY, f.maxEpochs(),
                f.patience(), f.l2()));
    }

    static List<Double> betas(Candidate chosen) {
        return List.of(0.0, chosen.regularization() / 10, chosen.regularization(), chosen.regularization() * 10);
    }

    /**
     * Beta-major, fine-tuner-minor. Beta 0 is a plain fine-tuning of the MTC's stack: a two-layer
     * candidate (CAE-2's kind of MLP) on the CAE+H choice's setting, run on the MTC's layers.
     */
    static List<Candidate> points(Candidate chosen, Candidate encoder) {
        List<Candidate> points = new ArrayList<>();
        for (double beta : betas(chosen)) {
            for (Finetuner f : finetuners(chosen)) {
                points.add(beta == 0 ? new Candidate(Table1Row.CAE_2, encoder.regularization(), encoder.pretraining(), f)
                        : new Candidate(Table1Row.MTC, beta, null, f, null, chosen.tangents()));
            }
        }
        return points;
    }

    /** @param labels the semi-supervised setting's labelled digits, 0 for Table 1 (then not recorded: older records match) */
    Map<String, Object> describe(Candidate chosen, Candidate encoder, int labels) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("row", Table1Row.MTC.id());
        m.put("ablation", NAME);
        if (labels > 0) {
            m.put("labels", labels);
        }
        m.put("chosen", chosen.id());
        m.put("encoder", encoder.id());
        m.put("tangents_k", chosen.tangents());
        m.put("beta", betas(chosen));
        m.put("finetuners", finetuners(chosen).stream().map(Finetuner::describe).toList());
        return m;
    }

    @Override
    public Map<String, Object> run(Training t) throws IOException {
        Candidate chosen = chosen(t);
        Candidate encoder = MtcTangents.encoder(t);
        Path dir = t.out().resolve(dir());
        int labels = t.protocol().labels();
        RowFiles.requireSameGrid(dir, describe(chosen, encoder, labels));
        long seed = Selection.seed(t);
        Training.Layers layers = MtcTangents.prepare(t, encoder, seed);
        List<Candidate> points = points(chosen, encoder);
        INDArray digits = t.data().validX().get(NDArrayIndex.interval(0, Math.min(SENSITIVITY_DIGITS, t.data().validX().size(0))),
                NDArrayIndex.all());
        Tangents tangents = ManifoldTangents.of(new PretrainedStack(layers.load(), List.of()), MtcTangents.options(t, chosen.tangents(), seed))
                .compute(digits);
        List<Point> results = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Candidate c = points.get(i);
            double beta = c.row() == Table1Row.MTC ? c.regularization() : 0;
            FineTuneRun.Progress p = t.finetune(Table1Row.MTC, c, seed, c.finetuner().maxEpochs(), layers,
                    String.format("MTC ablation point %d/%d (beta %s, %s)", i + 1, points.size(), Ids.number(beta), c.finetuner().label()));
            results.add(new Point(c, beta, p,
                    TangentSensitivity.of(FineTuneRun.best(t.files(Table1Row.MTC).candidateDir(seed, c)), digits, tangents, seed)));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("grid", describe(chosen, encoder, labels));
        doc.put("seed", seed);
        doc.put("measured_on", "validation digits only");
        doc.put("sensitivity_digits", digits.size(0));
        doc.put("points", results.stream().map(Point::describe).toList());
        RowFiles.write(dir.resolve("ablation.json"), doc);
        ResultsWriter.writeAtomically(dir.resolve("ablation.md"), markdown(chosen, results, labels));
        return doc;
    }

    /** One point's outcome: its fine-tuning and how far its classifier's output moves along the tangents. */
    private record Point(Candidate candidate, double beta, FineTuneRun.Progress progress, TangentSensitivity.Result sensitivity) {

        Map<String, Object> describe() {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("candidate", candidate.id());
            e.put("beta", beta);
            e.put("finetuner", candidate.finetuner().label());
            e.put("valid_error_pct", progress.bestErrorPct());
            e.put("best_epoch", progress.bestEpoch());
            e.put("epochs", progress.epochs());
            e.put("stopped", progress.stopped());
            e.put("sensitivity", sensitivity.describe());
            return e;
        }
    }

    private static String markdown(Candidate chosen, List<Point> results, int labels) {
        List<Finetuner> finetuners = finetuners(chosen);
        StringBuilder md = new StringBuilder(String.format("## Ablation on the MTC (k %d, seed 1's stack and tangents%s): validation error %%"
                + " (best epoch / epochs); beta 0 is the same stack fine-tuned without the tangent penalty%n%n| beta |", chosen.tangents(),
                labels > 0 ? String.format(", fine-tuned on %,d labelled digits", labels) : ""));
        finetuners.forEach(f -> md.append(" ").append(f.label()).append(" |"));
        md.append("\n|---|").append("---|".repeat(finetuners.size())).append("\n");
        for (int r = 0; r < results.size(); r += finetuners.size()) {
            md.append("| ").append(Ids.number(results.get(r).beta())).append(" |");
            for (int f = 0; f < finetuners.size(); f++) {
                md.append(Ablation.cell(results.get(r + f).describe()));
            }
            md.append("\n");
        }
        md.append(String.format("%n### How far each classifier's softmax output moves along directions at the first validation digits%n%n"
                + "Mean ‖∂p/∂x · u‖² over the digits, u a unit vector: their leading tangent, the mean over their %d tangents, one random"
                + " direction.%n%n| beta | fine-tuner | tangent 1 | tangents 1-%d | random | tangents / random |%n|---|---|---|---|---|---|%n",
                chosen.tangents(), chosen.tangents()));
        for (Point p : results) {
            TangentSensitivity.Result s = p.sensitivity();
            md.append(String.format("| %s | %s | %.3g | %.3g | %.3g | %.1f |%n", Ids.number(p.beta()), p.candidate().finetuner().label(),
                    s.perRank()[0], s.meanOverRanks(), s.random(), s.tangentsOverRandom()));
        }
        return md.toString();
    }

    @Override
    public void plan(Training t, Plan plan) throws IOException {
        Candidate chosen = chosen(t);
        plan.startPart(NAME + " ablation of " + Table1Row.MTC.label());
        long seed = Selection.seed(t);
        MtcTangents.plan(t, seed, plan, false);
        int epochs = 0;
        List<Candidate> points = points(chosen, MtcTangents.encoder(t));
        for (Candidate c : points) {
            FineTuneRun.Progress p = FineTuneRun.progress(t.files(Table1Row.MTC).candidateDir(seed, c));
            if (!p.reached(c.finetuner().maxEpochs())) {
                plan.step((c.finetuner().maxEpochs() - p.epochs()) * t.finetuneEpochSeconds(c));
                epochs += c.finetuner().maxEpochs() - p.epochs();
            }
        }
        plan.note(points.size() + " points to the full budget: <=" + epochs + " fine-tuning epochs");
    }
}

package io.github.cae4j.examples.table1;

import org.nd4j.shade.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses a row's candidate on the validation error of the first seed: pretrains every
 * regularisation value once (each length a snapshot of the same run), then runs
 * {@link SuccessiveHalving} over the grid. CAE-2's grid is the CAE row's choice under each shared
 * fine-tuner ({@link Table1Protocol#cae2Grid}): that row's selection runs first, then CAE-2's layer 2. Each finished round is saved
 * ({@code rows/<row>/selection/round-<r>.json}, every candidate's validation error within the
 * round's budget and who continues), so a rerun resumes after the last finished round, and within
 * a round after the last finished candidate. The test digits are never used here.
 */
final class Selection {

    private Selection() {
    }

    /** The chosen candidate and every round's record. */
    record Result(Candidate chosen, List<JsonNode> rounds) {
    }

    static long seed(Training t) {
        return t.protocol().seeds().get(0);
    }

    /**
     * A row's grid: the protocol's, but CAE-2's is built on the CAE row's choice, so that row's
     * selection must have finished.
     */
    static List<Candidate> grid(Training t, Table1Row row) throws IOException {
        if (row != Table1Row.CAE_2) {
            return t.protocol().grid(row);
        }
        Candidate cae = chosenIfKnown(t, Table1Row.CAE);
        if (cae == null) {
            throw new IllegalStateException("CAE-2's grid is built on the CAE row's choice, and that row's selection has not finished");
        }
        return t.protocol().cae2Grid(cae);
    }

    /**
     * The encoders of {@code c}'s MLP for {@code seed}: none for random init, the CAE+H choice's two
     * layers for the MTC, CAE-2's two, else its first layer's snapshot.
     */
    static Training.Layers layers(Training t, Table1Row owner, Candidate c, long seed) throws IOException {
        if (c.row() == Table1Row.MTC) {
            return MtcTangents.layers(t, MtcTangents.encoder(t), seed);
        }
        if (c.row() == Table1Row.CAE_2) {
            return Cae2Stack.layers(t, c, seed);
        }
        return c.pretraining() == null ? Training.Layers.none() : Training.Layers.of(1, () -> List.of(t.snapshot(owner, c, 1, seed)));
    }

    static Result run(Training t, Table1Row row) throws IOException {
        long seed = seed(t);
        SuccessiveHalving h = t.protocol().halving(row);
        RowFiles files = t.files(row);
        // a finished selection needs none of its pretrainings again (a directory resumed from the committed records has none)
        boolean decided = Files.isRegularFile(files.roundFile(h.rounds() - 1));
        if (row == Table1Row.MTC) {
            // the encoders are the CAE+H row's choice: that row's selection first, then layer 2 and the tangents
            MtcTangents.prepare(t, run(t, Table1Row.CAE_H).chosen(), seed);
        }
        if (row == Table1Row.CAE_2) {
            // the CAE row's selection first: CAE-2's grid is its choice under each fine-tuner, all on one pair of layers
            run(t, Table1Row.CAE);
        }
        List<Candidate> grid = grid(t, row);
        if (row == Table1Row.CAE_2 && !decided) {
            Cae2Stack.prepare(t, grid.get(0), seed);
        } else if (!decided) {
            for (Candidate c : distinctPretrainings(grid)) {
                t.pretrain(row, c, 1, seed, Training.lengths(grid, c), t.data().trainX(), t.data().validX());
            }
        }
        List<Candidate> alive = grid;
        List<JsonNode> rounds = new ArrayList<>();
        for (int r = 0; r < h.rounds(); r++) {
            Path f = files.roundFile(r);
            if (!Files.isRegularFile(f)) {
                RowFiles.write(f, round(t, row, grid, alive, r, seed));
            }
            JsonNode round = RowFiles.read(f);
            rounds.add(round);
            alive = kept(grid, round);
        }
        return new Result(alive.get(0), rounds);
    }

    /** The chosen candidate when the selection has finished, else null. */
    static Candidate chosenIfKnown(Training t, Table1Row row) throws IOException {
        Path last = t.files(row).roundFile(t.protocol().halving(row).rounds() - 1);
        if (!Files.isRegularFile(last)) {
            return null;
        }
        if (row != Table1Row.CAE_2) {
            return kept(t.protocol().grid(row), RowFiles.read(last)).get(0);
        }
        Candidate cae = chosenIfKnown(t, Table1Row.CAE);
        return cae == null ? null : kept(t.protocol().cae2Grid(cae), RowFiles.read(last)).get(0);
    }

    private static Map<String, Object> round(Training t, Table1Row row, List<Candidate> grid, List<Candidate> alive, int r, long seed)
            throws IOException {
        SuccessiveHalving h = t.protocol().halving(row);
        record Scored(Candidate c, int index, double error, int bestEpoch, int epochs, int budget, String stopped) {
        }
        List<Scored> scored = new ArrayList<>();
        for (int i = 0; i < alive.size(); i++) {
            Candidate c = alive.get(i);
            int budget = h.budget(r, c.finetuner().maxEpochs());
            String what = String.format("%s selection round %d/%d, candidate %d/%d (%s) to %d epochs", row.label(), r + 1, h.rounds(),
                    i + 1, alive.size(), c.label(), budget);
            FineTuneRun.Progress p = t.finetune(row, c, seed, budget, layers(t, row, c, seed), what);
            scored.add(new Scored(c, grid.indexOf(c), p.bestWithin(budget), p.bestEpochWithin(budget), Math.min(p.epochs(), budget),
                    budget, p.epochs() <= budget ? p.stopped() : null));
        }
        scored.sort(Comparator.comparingDouble(Scored::error).thenComparingInt(Scored::index));
        int keep = r < h.rounds() - 1 ? h.survivors(alive.size()) : 1;
        List<Map<String, Object>> entries = new ArrayList<>();
        for (int k = 0; k < scored.size(); k++) {
            Scored s = scored.get(k);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("candidate", s.c().id());
            e.put("label", s.c().label());
            e.put("valid_error_pct", s.error());
            e.put("best_epoch", s.bestEpoch());
            e.put("epochs", s.epochs());
            e.put("budget", s.budget());
            e.put("stopped", s.stopped());
            e.put("kept", k < keep);
            entries.add(e);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("round", r + 1);
        doc.put("of", h.rounds());
        doc.put("budget", r < h.rounds() - 1 ? String.valueOf(h.roundEpochs().get(r)) : "full (each fine-tuner's epoch limit and patience)");
        doc.put("seed", seed);
        doc.put("candidates", entries);
        doc.put("kept", scored.subList(0, keep).stream().map(s -> s.c().id()).toList());
        return doc;
    }

    private static List<Candidate> kept(List<Candidate> grid, JsonNode round) {
        List<Candidate> kept = new ArrayList<>();
        for (JsonNode id : round.get("kept")) {
            kept.add(grid.stream().filter(c -> c.id().equals(id.asText())).findFirst().orElseThrow(() -> new IllegalStateException(
                    "selection round " + round.get("round").asInt() + " kept " + id.asText() + ", which is not in this protocol's grid")));
        }
        return kept;
    }

    /**
     * Wall time of the selection: its pretrainings and every candidate's fine-tuning (the winner's
     * included). CAE-2's one pair of layers is seed 1's pretraining, counted there, not here.
     */
    static double seconds(Training t, Table1Row row) throws IOException {
        List<Candidate> grid = grid(t, row);
        long seed = seed(t);
        double s = 0;
        for (Candidate c : row == Table1Row.CAE_2 ? List.<Candidate>of() : distinctPretrainings(grid)) {
            JsonNode r = RowFiles.pretrainRecord(t.files(row).pretrainDir(seed, 1, c));
            if (r != null) {
                double longest = 0;
                for (JsonNode snap : r.get("snapshots")) {
                    longest = Math.max(longest, snap.get("seconds").asDouble());
                }
                s += longest;
            }
        }
        for (Candidate c : grid) {
            s += FineTuneRun.progress(t.files(row).candidateDir(seed, c)).seconds();
        }
        return s;
    }

    /** One candidate per pretraining run (regularisation value and run settings). */
    static List<Candidate> distinctPretrainings(List<Candidate> grid) {
        Set<String> seen = new LinkedHashSet<>();
        List<Candidate> runs = new ArrayList<>();
        for (Candidate c : grid) {
            if (c.pretraining() != null && seen.add(c.pretrainRunId())) {
                runs.add(c);
            }
        }
        return runs;
    }

    /** The selection's pending steps at most: pretrainings to their longest length, every round's candidates to its budget. */
    static void plan(Training t, Table1Row row, Plan plan) throws IOException {
        long seed = seed(t);
        SuccessiveHalving h = t.protocol().halving(row);
        boolean decided = Files.isRegularFile(t.files(row).roundFile(h.rounds() - 1));
        List<Candidate> grid;
        if (row == Table1Row.CAE_2) {
            // before the CAE row has chosen, any of its candidates gives the same fine-tuning costs; its longest pretraining the worst
            Candidate cae = chosenIfKnown(t, Table1Row.CAE);
            grid = t.protocol().cae2Grid(cae != null ? cae : t.protocol().grid(Table1Row.CAE).stream()
                    .max(Comparator.comparingInt(c -> c.pretraining().epochs())).orElseThrow());
            if (!decided && (cae == null || !Cae2Stack.pretrained(t, grid.get(0), seed))) {
                // layer 1 is the CAE row's selection's (planned with that row); layer 2 is CAE-2's own
                int max = grid.get(0).pretraining().epochs();
                plan.step(max * t.pretrainEpochSeconds(row, 2));
                plan.note(String.format("selection: layer 2 pretraining <=%d epochs (%.1f h)", max, max * t.pretrainEpochSeconds(row, 2) / 3600));
            }
        } else {
            grid = t.protocol().grid(row);
        }
        int pretrainings = 0;
        int longest = 0;
        for (Candidate c : row == Table1Row.CAE_2 || decided ? List.<Candidate>of() : distinctPretrainings(grid)) {
            int max = Training.lengths(grid, c).last();
            // done here, or reused from the shared directory: no cost
            if (!t.pretrained(row, c, 1, seed, Training.lengths(grid, c))) {
                plan.step(max * t.pretrainEpochSeconds(row, 1));
                pretrainings++;
                longest = Math.max(longest, max);
            }
        }
        if (pretrainings > 0) {
            plan.note(String.format("selection: %d pretraining%s x <=%d epochs (%.1f h)", pretrainings, pretrainings == 1 ? "" : "s", longest,
                    pretrainings * longest * t.pretrainEpochSeconds(row, 1) / 3600));
        }
        List<Integer> counts = h.counts(grid.size());
        List<Candidate> alive = grid;
        boolean known = true;
        double seconds = 0;
        int epochs = 0;
        for (int r = 0; r < h.rounds(); r++) {
            Path f = t.files(row).roundFile(r);
            if (Files.isRegularFile(f)) {
                alive = kept(grid, RowFiles.read(f));
                continue;
            }
            List<Candidate> these = known ? alive : mostExpensive(t, grid, counts.get(r));
            for (Candidate c : these) {
                int budget = h.budget(r, c.finetuner().maxEpochs());
                int from = known ? FineTuneRun.progress(t.files(row).candidateDir(seed, c)).epochs()
                        : (r == 0 ? 0 : h.budget(r - 1, c.finetuner().maxEpochs()));
                if (budget > from) {
                    double s = (budget - from) * t.finetuneEpochSeconds(c);
                    plan.step(s);
                    seconds += s;
                    epochs += budget - from;
                }
            }
            known = false;
        }
        if (epochs > 0 && h.roundEpochs().isEmpty()) {
            plan.note(String.format("every candidate in full: %d candidates, <=%d fine-tuning epochs (%.1f h)", counts.get(0), epochs,
                    seconds / 3600));
        } else if (epochs > 0) {
            plan.note(String.format("successive halving %s candidates, budgets %s then full: <=%d fine-tuning epochs (%.1f h)",
                    counts.toString().replace(", ", "→").replace("[", "").replace("]", ""), h.roundEpochs(), epochs, seconds / 3600));
        }
    }

    private static List<Candidate> mostExpensive(Training t, List<Candidate> grid, int n) {
        return grid.stream().sorted(Comparator.comparingDouble((Candidate c) -> -c.finetuner().maxEpochs()
                * t.finetuneEpochSeconds(c))).limit(n).toList();
    }
}

package io.github.cae4j.examples.table1;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that decides a row's numbers: sizes, seeds, the grids, the optimisers and the budgets.
 * A row's candidates are every combination of its regulariser's values, the pretraining lengths and
 * the fine-tuners ({@link #grid}); successive halving picks one on the validation error of seed
 * {@code seeds[0]} ({@link SuccessiveHalving}); then every seed pretrains and fine-tunes that choice
 * anew and its final model is evaluated once on the test digits. Only validation digits decide.
 *
 * @param hidden         units per hidden layer (the paper: 1000)
 * @param maxTrain       training digits to use, 0 for all 50,000 (stratified subsample otherwise)
 * @param seeds          the seeds of every row the paper has and of random init; the first selects
 * @param regularization grid of each row's regulariser (rows without one: {0})
 * @param pretrainings   the pretraining grid, usually one optimiser at several lengths (one run serves them all)
 * @param finetuners     the fine-tuning grid, shared by all rows
 * @param halving        how the candidates are narrowed down (the MTC's own: {@link FollowUps#mtcHalving})
 * @param dl4jPretraining    DL4J's AutoEncoder row: its pretraining (one setting, one seed)
 * @param referenceFinetuner DL4J's AutoEncoder row: its fine-tuning
 * @param checkPoints    grid points of the ranking check ({@code --check-screening})
 * @param followUps      the CAE+H and MTC rows' own grids (their lambda and beta grids are in {@code regularization})
 * @param labels         0: fine-tune on every training digit's label (Table 1); else the MTC paper's semi-supervised
 *                       setting, fine-tuning on this many labelled digits ({@link #semiSupervised}), a multiple of 10
 */
public record Table1Protocol(int hidden, int maxTrain, List<Long> seeds, Map<Table1Row, List<Double>> regularization,
                             List<Pretraining> pretrainings, List<Finetuner> finetuners, SuccessiveHalving halving,
                             Pretraining dl4jPretraining, Finetuner referenceFinetuner, int checkPoints, FollowUps followUps,
                             int labels) {

    /** Table 1's setting: every training digit labelled. */
    public Table1Protocol(int hidden, int maxTrain, List<Long> seeds, Map<Table1Row, List<Double>> regularization,
                          List<Pretraining> pretrainings, List<Finetuner> finetuners, SuccessiveHalving halving,
                          Pretraining dl4jPretraining, Finetuner referenceFinetuner, int checkPoints, FollowUps followUps) {
        this(hidden, maxTrain, seeds, regularization, pretrainings, finetuners, halving, dl4jPretraining, referenceFinetuner, checkPoints,
                followUps, 0);
    }

    /** The rows of the MTC paper's semi-supervised table that this script runs (CAE+H as the MTC's encoder). */
    public static final List<Table1Row> SEMI_SUPERVISED_ROWS = List.of(Table1Row.CAE, Table1Row.CAE_H, Table1Row.MTC);

    /**
     * The MTC paper's semi-supervised setting (Rifai et al., NIPS 2011, Table 1 of that paper): the
     * same pretraining on all training digits (no labels), the same grids, but fine-tuning on
     * {@code labels} labelled digits only, the first {@code labels / 10} of each class in the
     * training digits' order (the same for every seed). The fine-tuners keep their optimiser, rate,
     * epoch limit and patience with minibatch 20 instead of 100 (the lab's small minibatches): an
     * epoch of 1,000 digits is then 50 steps, not 10. The MTC's grid also takes the shared grid's
     * fine-tuners whose rate decays (Nesterov x0.97 per epoch): the CAE row chose one of them at 1,000
     * labels (Adam 3e-3 was 1.2 points behind after 15 epochs), and an MTC epoch of 1,000 digits costs
     * a fiftieth of a full one. Every candidate fine-tunes in full ({@link SuccessiveHalving#everyCandidateInFull}):
     * an epoch of 1,000 digits is 50 steps, so a 2-epoch round ranked the candidates after 100 steps,
     * where the slow starters (Nesterov 0.03) were last, and full runs of 1,000 digits cost minutes.
     */
    public Table1Protocol semiSupervised(int labelled) {
        if (labelled <= 0 || labelled % 10 != 0) {
            throw new IllegalArgumentException("--labels must be a positive multiple of 10 (the same number of each digit), got " + labelled);
        }
        if (maxTrain > 0 && labelled >= maxTrain) {
            throw new IllegalArgumentException("--labels must be below the " + maxTrain + " training digits of this setting, got " + labelled);
        }
        List<Finetuner> ft = finetuners.stream().map(Table1Protocol::smallBatch).toList();
        SuccessiveHalving full = SuccessiveHalving.everyCandidateInFull();
        Map<String, Finetuner> mtc = new LinkedHashMap<>();
        for (Finetuner f : followUps.mtcFinetuners()) {
            mtc.put(f.id(), f);
        }
        finetuners.stream().filter(f -> f.lrDecayPerEpoch() != 1).forEach(f -> mtc.putIfAbsent(f.id(), f));
        FollowUps fu = new FollowUps(followUps.gammas(), followUps.sigma(), followUps.copies(), followUps.tangents(),
                followUps.tangentIterations(), mtc.values().stream().map(Table1Protocol::smallBatch).toList(), full);
        return new Table1Protocol(hidden, maxTrain, seeds, regularization, pretrainings, ft, full, dl4jPretraining,
                smallBatch(referenceFinetuner), checkPoints, fu, labelled);
    }

    private static Finetuner smallBatch(Finetuner f) {
        return f.withBatch(Math.min(20, f.batch()));
    }

    /**
     * The settings of the two follow-up rows besides their lambda (CAE+H) and beta (MTC) grids.
     *
     * @param gammas            CAE+H's gamma grid, each in (0, 1e6]
     * @param sigma             CAE+H's noise standard deviation (fixed), > 0
     * @param copies            CAE+H's noisy copies per example (fixed), in [1, 64]
     * @param tangents          the MTC's grid of k (tangents per digit), distinct, > 0; computed once at the largest
     * @param tangentIterations subspace iterations of {@code ManifoldTangents}, in [1, 1000]
     * @param mtcFinetuners     the MTC's fine-tuning grid, its own (an MTC epoch costs about (1 + 0.8 k) of a plain one,
     *                          see docs/table1-protocol.md)
     * @param mtcHalving        how the MTC's candidates are narrowed down: its own, since tangent propagation starts
     *                          slowly (beta 1 was 1.92 % after 3 epochs and 1.19 % after 30, the best of the ablation)
     */
    public record FollowUps(List<Double> gammas, double sigma, int copies, List<Integer> tangents, int tangentIterations,
                            List<Finetuner> mtcFinetuners, SuccessiveHalving mtcHalving) {

        public FollowUps {
            gammas = List.copyOf(gammas);
            tangents = List.copyOf(tangents);
            mtcFinetuners = List.copyOf(mtcFinetuners);
            if (mtcFinetuners.isEmpty() || mtcFinetuners.stream().map(Finetuner::id).distinct().count() != mtcFinetuners.size()) {
                throw new IllegalArgumentException("Table1Protocol.FollowUps: mtcFinetuners must be non-empty and without repeats, got "
                        + mtcFinetuners);
            }
            String who = "Table1Protocol.FollowUps: ";
            if (gammas.isEmpty() || gammas.stream().distinct().count() != gammas.size()) {
                throw new IllegalArgumentException(who + "gammas must be distinct and at least one, got " + gammas);
            }
            gammas.forEach(g -> new HigherOrder(g, sigma, copies));
            if (tangents.isEmpty() || tangents.stream().distinct().count() != tangents.size() || tangents.stream().anyMatch(k -> k <= 0)) {
                throw new IllegalArgumentException(who + "tangents (k) must be distinct, > 0 and at least one, got " + tangents);
            }
            if (tangentIterations < 1 || tangentIterations > 1000) {
                throw new IllegalArgumentException(who + "tangentIterations must be in [1, 1000], got " + tangentIterations);
            }
            if (mtcHalving == null) {
                throw new IllegalArgumentException(who + "mtcHalving (how the MTC's candidates are narrowed down) must be set");
            }
        }

        /** The largest k: the tangents are computed once with it, a smaller k uses the leading ones. */
        public int maxTangents() {
            return tangents.stream().mapToInt(Integer::intValue).max().orElseThrow();
        }

        /** CAE+H's higher-order term. */
        Map<String, Object> describeHigherOrder() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("gamma", gammas);
            m.put("sigma", sigma);
            m.put("copies", copies);
            return m;
        }
    }

    public Table1Protocol {
        String who = "Table1Protocol: ";
        regularization = Map.copyOf(regularization);
        seeds = List.copyOf(seeds);
        pretrainings = List.copyOf(pretrainings);
        finetuners = List.copyOf(finetuners);
        if (hidden <= 0 || maxTrain < 0) {
            throw new IllegalArgumentException(who + "hidden must be > 0 and maxTrain >= 0, got " + hidden + " and " + maxTrain);
        }
        if (seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException(who + "seeds must be distinct and at least one, got " + seeds);
        }
        for (Table1Row row : Table1Row.values()) {
            if (row != Table1Row.CAE_2 && (regularization.get(row) == null || regularization.get(row).isEmpty())) {
                throw new IllegalArgumentException(who + "no " + row.regularizer().symbol() + " grid for row " + row.id());
            }
        }
        if (pretrainings.isEmpty() || finetuners.isEmpty() || pretrainings.stream().distinct().count() != pretrainings.size()
                || finetuners.stream().map(Finetuner::id).distinct().count() != finetuners.size()) {
            throw new IllegalArgumentException(who + "the pretraining and fine-tuning grids must be non-empty and without repeats, got "
                    + pretrainings + " and " + finetuners);
        }
        if (halving == null || dl4jPretraining == null || referenceFinetuner == null) {
            throw new IllegalArgumentException(who + "halving, dl4jPretraining and referenceFinetuner must be set");
        }
        if (labels < 0 || labels % 10 != 0) {
            throw new IllegalArgumentException(who + "labels must be 0 (all) or a positive multiple of 10, got " + labels);
        }
        if (followUps == null) {
            throw new IllegalArgumentException(who + "followUps (the CAE+H and MTC grids) must be set");
        }
        if (regularization.get(Table1Row.MTC).stream().anyMatch(b -> !(b > 0))) {
            throw new IllegalArgumentException(who + "the MTC's beta grid must be > 0 (beta 0 is plain fine-tuning), got "
                    + regularization.get(Table1Row.MTC));
        }
        if (checkPoints < 2) {
            throw new IllegalArgumentException(who + "checkPoints must be >= 2 (a ranking needs two), got " + checkPoints);
        }
    }

    /**
     * The full protocol: 784-1000-10 on all 50,000 training digits, three seeds. See
     * docs/table1-protocol.md for why these grids and budgets, and what they cost.
     */
    public static Table1Protocol full() {
        Map<Table1Row, List<Double>> reg = new EnumMap<>(Table1Row.class);
        reg.put(Table1Row.RANDOM, List.of(0.0));
        reg.put(Table1Row.AE, List.of(0.0));
        reg.put(Table1Row.AE_WD, List.of(1e-4, 1e-3, 1e-2));
        reg.put(Table1Row.DAE_G, List.of(0.1, 0.2, 0.3, 0.5));
        reg.put(Table1Row.DAE_B, List.of(0.1, 0.25, 0.4));
        reg.put(Table1Row.CAE, List.of(0.3, 1.0, 3.0, 10.0));
        reg.put(Table1Row.DL4J_AE, List.of(0.0));
        // CAE+H: lambda around the CAE row's choice (3 of {0.3, 1, 3, 10}); MTC: beta from the ablation's best (1) up a decade
        reg.put(Table1Row.CAE_H, List.of(1.0, 3.0));
        reg.put(Table1Row.MTC, List.of(1.0, 3.0, 10.0));
        Pretraining adam = Pretraining.adam(1e-3, 128, 20, 10);
        List<Finetuner> ft = new ArrayList<>();
        for (double lr : new double[]{3e-4, 1e-3, 3e-3}) {
            ft.add(Finetuner.adam(lr, 100, 60, 10));
        }
        for (double lr : new double[]{0.01, 0.03, 0.1}) {
            ft.add(Finetuner.nesterovs(lr, 0.9, 0.97, 100, 60, 10));
        }
        return new Table1Protocol(1000, 0, List.of(1L, 2L, 3L), reg, List.of(adam, adam.withEpochs(60)), ft,
                new SuccessiveHalving(List.of(2, 6, 15), 3, 2), Pretraining.adam(1e-3, 128, 25, 4), Finetuner.adam(1e-3, 100, 60, 10), 8,
                new FollowUps(List.of(0.1, 1.0), 0.1, 4, List.of(4, 8), 4, MTC_FINETUNERS, MTC_HALVING));
    }

    /**
     * The MTC's fine-tuning: Adam 1e-3 with a rate decaying x0.9 per epoch. The first MTC row's grid
     * (Adam 1e-3 and 3e-3 at constant rates, Nesterov 0.03 x0.97; beta 0.1-10) chose beta 0.1 at
     * Adam 1e-3 (1.67 % test); its ablation found the decaying rate better at every beta > 0 and
     * beta 1 best (1.19 % validation against 1.42 % at the row's choice).
     */
    static final List<Finetuner> MTC_FINETUNERS = List.of(Finetuner.adam(1e-3, 0.9, 100, 60, 10));
    /** One short round of 15 epochs keeping 2 of 6: the first row's 2- and 6-epoch rounds dropped beta 1, the slow starter. */
    static final SuccessiveHalving MTC_HALVING = new SuccessiveHalving(List.of(15), 3, 2);

    /** How a row's candidates are narrowed down: the MTC's own way, the shared one for the others. */
    public SuccessiveHalving halving(Table1Row row) {
        return row == Table1Row.MTC ? followUps.mtcHalving() : halving;
    }

    /**
     * A tiny setting for smoke tests: 2,000 digits, 32 units, two seeds, an epoch or two, an Adam and
     * a Nesterov fine-tuner, two pretraining lengths, two rounds of successive halving.
     */
    public static Table1Protocol quick() {
        Map<Table1Row, List<Double>> reg = new EnumMap<>(Table1Row.class);
        Table1Protocol full = full();
        for (Table1Row row : full.regularization().keySet()) {
            reg.put(row, List.of(full.regularization().get(row).get(0)));
        }
        reg.put(Table1Row.CAE, List.of(0.3, 1.0));
        reg.put(Table1Row.MTC, List.of(1.0));
        Pretraining adam = Pretraining.adam(3e-3, 64, 1, 2);
        return new Table1Protocol(32, 2000, List.of(1L, 2L), reg, List.of(adam, adam.withEpochs(2)),
                List.of(Finetuner.adam(3e-3, 64, 3, 2), Finetuner.nesterovs(0.05, 0.9, 0.9, 64, 3, 2)),
                new SuccessiveHalving(List.of(1), 2, 1), Pretraining.adam(3e-3, 64, 2, 2), Finetuner.adam(3e-3, 64, 3, 2), 3,
                new FollowUps(List.of(0.1, 1.0), 0.1, 2, List.of(1, 2), 2, List.of(Finetuner.adam(3e-3, 64, 3, 2),
                        Finetuner.nesterovs(0.05, 0.9, 0.9, 64, 3, 2)), new SuccessiveHalving(List.of(1), 2, 1)));
    }

    /** What {@link #describe()} said of CAE-2 before it had a selection of its own (it took the CAE row's fine-tuner too). */
    static final String CAE_2_BEFORE_SELECTION = "the CAE row's choice; layer 2 pretrained like layer 1";
    static final String CAE_2_ENCODERS = "the CAE row's choice; layer 2 pretrained like layer 1; the fine-tuner chosen on validation";

    /** The MTC's entry of {@link #describe()}'s follow-up rows. */
    Map<String, Object> describeMtc() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("encoders", MTC_ENCODERS);
        m.put("tangents_k", followUps.tangents());
        m.put("tangent_iterations", followUps.tangentIterations());
        m.put("beta", regularization.get(Table1Row.MTC));
        m.put("finetuners", followUps.mtcFinetuners().stream().map(Finetuner::describe).toList());
        m.put("halving", followUps.mtcHalving().describe());
        m.put("candidates", grid(Table1Row.MTC).size());
        return m;
    }

    static final String MTC_ENCODERS = "layer 1: the CAE+H row's choice; layer 2: CAE+H with the same settings on its codes; tangents of"
            + " layer 2 (the top), computed once per seed at the largest k";

    /** The key of {@link #describe()} that holds the CAE+H and MTC rows' grids. */
    static final String FOLLOW_UP_KEY = "follow_up_rows";

    /** The seeds a row runs with: CAE-2 and DL4J's AutoEncoder only the first (their cost buys little). */
    public List<Long> seedsOf(Table1Row row) {
        return row == Table1Row.CAE_2 || row == Table1Row.DL4J_AE ? List.of(seeds.get(0)) : seeds;
    }

    /**
     * Every grid point of a row, regularisation-major, then pretraining, then fine-tuner; DL4J's
     * AutoEncoder has one. CAE-2's grid is built on the CAE row's choice: see {@link #cae2Grid}.
     */
    public List<Candidate> grid(Table1Row row) {
        List<Candidate> points = new ArrayList<>();
        switch (row) {
            case CAE_2 -> throw new IllegalArgumentException("CAE-2's grid is built on the CAE row's choice: use cae2Grid(that choice)");
            case DL4J_AE -> points.add(new Candidate(row, 0, dl4jPretraining, referenceFinetuner));
            case RANDOM -> finetuners.forEach(f -> points.add(new Candidate(row, 0, null, f)));
            case CAE_H -> {
                for (double lambda : regularization.get(row)) {
                    for (double gamma : followUps.gammas()) {
                        for (Pretraining p : pretrainings) {
                            for (Finetuner f : finetuners) {
                                points.add(new Candidate(row, lambda, p, f, new HigherOrder(gamma, followUps.sigma(), followUps.copies()), 0));
                            }
                        }
                    }
                }
            }
            case MTC -> {
                // k-major: candidates of one k share the training digits with their tangents appended
                for (int k : followUps.tangents()) {
                    for (double beta : regularization.get(row)) {
                        for (Finetuner f : followUps.mtcFinetuners()) {
                            points.add(new Candidate(row, beta, null, f, null, k));
                        }
                    }
                }
            }
            default -> {
                for (double r : regularization.get(row)) {
                    for (Pretraining p : pretrainings) {
                        for (Finetuner f : finetuners) {
                            points.add(new Candidate(row, r, p, f));
                        }
                    }
                }
            }
        }
        return points;
    }

    /**
     * CAE-2's grid: the CAE row's choice (lambda and pretraining, for both layers) under each shared
     * fine-tuner. Two sigmoid layers train differently from one (the CAE's own fine-tuner, Adam 3e-3,
     * diverged on them: 1.80% against 1.25% with Adam 1e-3), so the fine-tuner is chosen again.
     */
    public List<Candidate> cae2Grid(Candidate caeChoice) {
        if (caeChoice.row() != Table1Row.CAE) {
            throw new IllegalArgumentException("cae2Grid needs a candidate of the CAE row, got one of " + caeChoice.row().id());
        }
        return finetuners.stream().map(f -> new Candidate(Table1Row.CAE_2, caeChoice.regularization(), caeChoice.pretraining(), f)).toList();
    }

    /** The protocol as a JSON-ready map, grids in table order (the same every time, for comparing runs). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hidden", hidden);
        m.put("max_train", maxTrain);
        m.put("seeds", seeds);
        m.put("single_seed_rows", List.of(Table1Row.CAE_2.id(), Table1Row.DL4J_AE.id()));
        m.put("pretrainings", pretrainings.stream().map(Pretraining::describe).toList());
        m.put("finetuners", finetuners.stream().map(Finetuner::describe).toList());
        m.put("successive_halving", halving.describe());
        Map<String, Object> grids = new LinkedHashMap<>();
        for (Table1Row row : Table1Row.values()) {
            if (regularization.containsKey(row) && row != Table1Row.CAE_H && row != Table1Row.MTC) {
                grids.put(row.id(), Map.of(row.regularizer().symbol(), regularization.get(row), "candidates", grid(row).size()));
            }
        }
        grids.put(Table1Row.CAE_2.id(), Map.of("encoders", CAE_2_ENCODERS, "candidates", finetuners.size()));
        m.put("grids", grids);
        m.put("dl4j_autoencoder", Map.of("pretrain", dl4jPretraining.describe(), "finetune", referenceFinetuner.describe()));
        m.put("screening_check_points", checkPoints);
        // one key of its own, so that a directory of the eight paper rows (run.json without it) can take the two rows
        Map<String, Object> follow = new LinkedHashMap<>();
        follow.put(Table1Row.CAE_H.id(), Map.of("lambda", regularization.get(Table1Row.CAE_H), "higher_order",
                followUps.describeHigherOrder(), "candidates", grid(Table1Row.CAE_H).size(), "pretraining",
                "tied, one layer, as the CAE row; gamma x lambda x length x fine-tuner"));
        follow.put(Table1Row.MTC.id(), describeMtc());
        m.put(FOLLOW_UP_KEY, follow);
        if (labels > 0) {
            m.put("labels", labels);
            m.put("labelled_digits", "the first " + labels / 10 + " of each class in the training digits' order, the same for every seed;"
                    + " pretraining (and the MTC's layer 2) on all training digits without labels");
        }
        return m;
    }
}

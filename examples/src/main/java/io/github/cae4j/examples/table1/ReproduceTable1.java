package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.data.MnistData;
import io.github.cae4j.examples.CleanErrors;
import io.github.cae4j.examples.FileTrees;
import io.github.cae4j.examples.data.MnistDataOptions;
import io.github.cae4j.examples.data.MnistSplits;
import io.github.cae4j.training.EarlyStoppingProgressLogger;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Reproduces the MNIST column of Table 1 of Rifai et al. (ICML 2011): each row's one-hidden-layer
 * MLP (784-1000-10; CAE-2: 784-1000-1000-10) pretrained without labels on the first 50,000
 * training digits, fine-tuned on their labels with early stopping on the last 10,000, and tested
 * once on the 10,000 test digits. {@code scripts/reproduce-table1} runs it.
 */
@Command(name = "reproduce-table1", mixinStandardHelpOptions = true,
        description = {"Reproduces Table 1 of Rifai et al. (ICML 2011) on full MNIST: random init, AE, AE+wd, DAE-g, DAE-b, CAE, CAE-2,"
                + " DL4J AutoEncoder, and the lab's follow-ups CAE+H (ECML-PKDD 2011) and MTC (NIPS 2011). Each row's setting is chosen by successive halving on seed 1's validation error, then every"
                + " seed (1, 2, 3) pretrains and fine-tunes it anew and is tested once. Every finished step is saved: run the same"
                + " command again to continue. See docs/table1-protocol.md."})
public final class ReproduceTable1 implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ReproduceTable1.class);
    static final Path COMMITTED_RESULTS = Path.of("results", "table1");

    @Option(names = "--rows", split = ",", description = "Rows to run, comma-separated, as in the table (default: all): random, ae, ae+wd, dae-g, dae-b, cae, cae-2, cae-h, mtc, dl4j-ae. The MTC builds on the CAE+H row's choice (its selection runs first when needed).")
    List<String> rows;

    @Option(names = "--out", description = "Output directory (default: results/table1; with --quick: runs/table1-quick). A rerun resumes it.")
    Path out;

    @Option(names = "--quick", description = "A tiny setting for smoke tests (2,000 training digits, 1,000 validation and test digits, 32 units, 1-3 epochs, seeds 1 and 2); never writes into results/table1.")
    boolean quick;

    @Option(names = "--data-dir", description = "Directory with the four MNIST IDX files (plain or .gz). Default: scripts/fetch-mnist's cache, DL4J's MNIST cache.")
    Path dataDir;

    @Option(names = "--cache-dir", description = "cae4j's data cache (default: $CAE4J_DATA_DIR or ~/.cache/cae4j).")
    Path cacheDir;

    @Option(names = "--plan", description = "Print the steps still to do and their cost at most (seconds per epoch from <out>/epoch-times.json when --measure-epochs wrote it, else the documented ones), then stop.")
    boolean planOnly;

    @Option(names = "--measure-epochs", description = "Measure the seconds per epoch of each kind of training on this machine (a few minutes; CPU seconds, which other jobs do not inflate, and wall seconds), save them in <out>/epoch-times.json for the plan, print the plan, then stop.")
    boolean measureEpochs;

    @Option(names = "--check-screening", paramLabel = "ROW", description = "Instead of the table: does screening rank like full runs? Fine-tunes a few grid points of ROW to the full budget and writes Spearman's and Kendall's rank correlations between the short rounds' and the full ranking to rows/<row>/screening-check.json and .md (validation only).")
    String checkRow;

    @Option(names = "--ablation", arity = "0..1", paramLabel = "NAME", fallbackValue = "finetuners",
            description = "Instead of the table, validation error only, each point fine-tuned in full. 'finetuners' (the default):"
                    + " CAE's lambda x pretraining length x fine-tuner, into ablation/ablation.json and .md; 'pretraining': CAE's lambda"
                    + " x pretraining optimiser (the table's Adam, the lab's plain SGD) and length x Adam fine-tuner, into ablation-pretraining/;"
                    + " 'adam-rate': CAE's lambda x Adam 3e-3 and 1e-2 (above the table's grid), into ablation-adam-rate/;"
                    + " 'adam-decay': CAE's lambda x Adam with a rate decaying every epoch, into ablation-adam-decay/;"
                    + " 'lab-finetuning': CAE's choice x weight decay and the lab's plain SGD (minibatch 20, up to 100 epochs),"
                    + " into ablation-lab-finetuning/; 'mtc': the MTC row's choice against beta 0 (its stack fine-tuned without the"
                    + " tangent penalty), a tenth and ten times its beta, each with its fine-tuner and that fine-tuner decaying x0.9 per"
                    + " epoch, into ablation-mtc/ (after the MTC row's selection; also with --labels).")
    String ablationName;

    @Option(names = "--labels", paramLabel = "N", defaultValue = "0", description = "The MTC paper's semi-supervised setting: pretrain on all training digits without labels, fine-tune on N labelled ones (N/10 per class, the same for every seed; fine-tuners with minibatch 20). Rows: cae, cae-h, mtc (default: those three). Default output: results/table1-<N>-labels. 0 (default): Table 1, every label.")
    int labels;

    @Option(names = "--reuse-pretraining", paramLabel = "DIR", description = "With --labels: take the finished pretrainings (and the MTC's layer 2) of the full table in DIR"
            + " that are the same computation (same hidden units, pretraining settings, digits, row, regularisation and seed; checked one by one,"
            + " anything else is pretrained here with a log line) instead of running them again; copied, DIR is never written."
            + " Default: results/table1 (with --quick: runs/table1-quick) when --out is not given, else none. 'none': pretrain everything here.")
    String reusePretraining;

    @Option(names = "--stop-after-steps", hidden = true, defaultValue = "0", description = "Stop after this many steps, as an interruption would (for tests).")
    int stopAfterSteps;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Bad flags, missing data and a directory of another protocol print one clear message, no stack trace. */
    static CommandLine commandLine() {
        return CleanErrors.commandLine(new ReproduceTable1());
    }

    @Override
    public Integer call() throws Exception {
        Table1Protocol protocol = quick ? Table1Protocol.quick() : Table1Protocol.full();
        if (labels < 0) {
            throw new IllegalArgumentException("--labels must be >= 0 (0: every label), got " + labels);
        }
        if (labels > 0) {
            protocol = protocol.semiSupervised(labels);
        }
        String suffix = labels > 0 ? "-" + labels + "-labels" : "";
        Path dir = out != null ? out : quick ? Path.of("runs", "table1-quick" + suffix) : Path.of("results", "table1" + suffix);
        if (quick && dir.toAbsolutePath().normalize().startsWith(COMMITTED_RESULTS.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--quick never writes into the committed results (" + COMMITTED_RESULTS
                    + "); pass another --out");
        }
        if (stopAfterSteps < 0) {
            throw new IllegalArgumentException("--stop-after-steps must be >= 0, got " + stopAfterSteps);
        }
        boolean ablation = ablationName != null;
        // built before any data is read, so that an unknown name is refused at once
        Study ablationGrid = !ablation ? null : Study.named(ablationName, quick);
        if ((checkRow != null ? 1 : 0) + (ablation ? 1 : 0) + (measureEpochs ? 1 : 0) > 1) {
            throw new IllegalArgumentException("--check-screening, --ablation and --measure-epochs are separate runs: pass one of them");
        }
        Table1Row check = checkRow == null ? null : Table1Row.parse(checkRow);
        if (check != null) {
            ScreeningCheck.points(protocol, check);
        }
        List<Table1Row> selected = rows == null || rows.isEmpty() ? (labels > 0 ? Table1Protocol.SEMI_SUPERVISED_ROWS : List.of(Table1Row.values()))
                : rows.stream().map(Table1Row::parse).distinct().sorted().toList();
        if (labels > 0 && !Table1Protocol.SEMI_SUPERVISED_ROWS.containsAll(selected)) {
            throw new IllegalArgumentException("--labels " + labels + " runs the MTC paper's semi-supervised rows "
                    + Table1Protocol.SEMI_SUPERVISED_ROWS.stream().map(Table1Row::id).toList() + ", got --rows " + String.join(",", rows));
        }
        if (labels > 0 && (check != null || ablation && !ablationGrid.runsWithLabels())) {
            throw new IllegalArgumentException("--labels runs the table's rows or --ablation mtc; --check-screening and the CAE's"
                    + " ablations use every label");
        }
        Path reuseFrom = reuseSource(dir);
        Files.createDirectories(dir);
        requireSameProtocol(dir, protocol);

        io.github.cae4j.examples.ExampleData.requireDirectory("--data-dir", dataDir);
        MnistSplits data = MnistData.load(new MnistDataOptions(dataDir, cacheDir, MnistDataOptions.Source.FULL, 0, protocol.maxTrain()));
        if (quick) {
            data = firstValidationAndTestDigits(data, QUICK_HELD_OUT);
        }
        log.info("data: {} ({} train / {} validation / {} test digits); output in {}", data.source(), data.trainX().size(0),
                data.validX().size(0), data.testX().size(0), dir.toAbsolutePath());
        String commit = gitCommit();
        Map<String, Object> digits = PretrainingData.of(data);
        PretrainingData.record(dir, digits, commit);
        SharedPretrainings shared = reuseFrom == null ? null : SharedPretrainings.open(reuseFrom, dir, protocol, digits);
        Path timesFile = dir.resolve(EpochTimes.FILE);
        if (measureEpochs) {
            Path scratch = dir.resolve("timing-scratch");
            EpochTimes.Measured m = EpochTimes.measure(data, protocol.hidden(), scratch);
            FileTrees.delete(scratch);
            // the plan uses CPU seconds: an upper bound of a dedicated machine's wall time that other jobs do not inflate
            Map<String, Object> doc = new LinkedHashMap<>(m.cpu().toJson());
            doc.put("wall", m.wall().toJson());
            RowFiles.write(timesFile, doc);
        }
        EpochTimes times = Files.isRegularFile(timesFile) ? EpochTimes.read(timesFile) : EpochTimes.DOCUMENTED;
        Plan plan = plan(protocol, data, dir, times, selected, check, ablationGrid, shared);
        if (planOnly || measureEpochs) {
            log.info("plan for {} (seconds per epoch: {}):\n{}", dir, times.source(), plan.markdown());
            return 0;
        }
        Steps steps = new Steps(plan.totalSteps(), plan.totalSeconds(), stopAfterSteps);
        Training training = new Training(protocol, data, dir, steps, times, shared);
        log.info("{} steps to do, at most ~{} by the cost plan ({})", plan.totalSteps(),
                EarlyStoppingProgressLogger.duration(plan.totalSeconds()), times.source());
        Map<String, Object> header = header(protocol, data, commit);
        Thread onInterrupt = new Thread(() -> log.warn("interrupted during {}. Every step finished before it is saved in {}: run the same"
                + " command again to continue from there.", steps.current(), dir.toAbsolutePath()));
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        long start = System.nanoTime();
        try {
            if (check != null) {
                ScreeningCheck.run(training, check);
                log.info("screening check of {} written to {}", check.label(), training.files(check).screeningCheckFile("md"));
                return 0;
            }
            if (ablation) {
                ablationGrid.run(training);
                log.info("ablation written to {}", dir.resolve(ablationGrid.dir()).resolve("ablation.md"));
                return 0;
            }
            RowRunner runner = new RowRunner(training, commit);
            for (Table1Row row : selected) {
                log.info("=== {} ({}): {}", row.label(), row.id(), RowRunner.finished(dir, row) ? "finished earlier" : "running");
                runner.run(row);
                Table1Report.write(dir, header);
            }
        } catch (Steps.StopRequested e) {
            log.warn("{}", e.getMessage());
            Table1Report.write(dir, header);
            return STOPPED;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook says what was saved
            }
        }
        List<JsonNode> finished = Table1Report.write(dir, header);
        log.info("done in {}; {} rows in {}:\n{}", EarlyStoppingProgressLogger.duration((System.nanoTime() - start) / 1e9),
                finished.size(), dir.resolve("table.md"), Table1Report.markdown(finished, header));
        return 0;
    }

    /** The directory whose pretrainings --labels reuses, or null (see --reuse-pretraining). */
    private Path reuseSource(Path dir) {
        if (reusePretraining != null && labels == 0) {
            throw new IllegalArgumentException("--reuse-pretraining is for --labels N (its pretrainings are the full table's); got it without --labels");
        }
        if (labels == 0 || "none".equals(reusePretraining)) {
            return null;
        }
        if (reusePretraining != null) {
            Path p = Path.of(reusePretraining);
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new IllegalArgumentException("--reuse-pretraining must name the full table's output directory or none, got the file "
                        + reusePretraining);
            }
            return p;
        }
        if (out != null) {
            log.info("pretrainings: all run here (--out is given; --reuse-pretraining DIR takes those of the full table in DIR)");
            return null;
        }
        return quick ? Path.of("runs", "table1-quick") : COMMITTED_RESULTS;
    }

    /** Exit code of a run stopped by --stop-after-steps. */
    static final int STOPPED = 3;

    /** The pending steps of this invocation and their cost at most. */
    static Plan plan(Table1Protocol protocol, MnistSplits data, Path dir, EpochTimes times, List<Table1Row> selected, Table1Row check,
                     Study ablation) throws IOException {
        return plan(protocol, data, dir, times, selected, check, ablation, null);
    }

    /** The plan when {@code shared} (or null) supplies finished pretrainings: those cost nothing. */
    static Plan plan(Table1Protocol protocol, MnistSplits data, Path dir, EpochTimes times, List<Table1Row> selected, Table1Row check,
                     Study ablation, SharedPretrainings shared) throws IOException {
        Plan plan = new Plan(times);
        Training counting = new Training(protocol, data, dir, null, times, shared);
        if (check != null) {
            ScreeningCheck.plan(counting, check, plan);
        } else if (ablation != null) {
            ablation.plan(counting, plan);
        } else {
            RowRunner runner = new RowRunner(counting, "");
            for (Table1Row row : selected) {
                runner.plan(row, plan, selected.contains(row == Table1Row.MTC ? Table1Row.CAE_H : Table1Row.CAE));
            }
        }
        return plan;
    }

    /** Held-out digits of the quick setting: the first 1,000 validation and 1,000 test digits. */
    static final int QUICK_HELD_OUT = 1000;

    private static MnistSplits firstValidationAndTestDigits(MnistSplits d, int n) {
        var rows = NDArrayIndex.interval(0, n);
        var all = NDArrayIndex.all();
        return new MnistSplits(d.trainX(), d.trainY(), d.validX().get(rows, all), d.validY().get(rows, all),
                d.testX().get(rows, all), d.testY().get(rows, all), d.source() + ", first " + n + " validation and test digits");
    }

    /** A directory holds one protocol; mixing rows of two would make a table of nothing. */
    private void requireSameProtocol(Path dir, Table1Protocol protocol) throws IOException {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("protocol", protocol.describe());
        ObjectMapper mapper = new ObjectMapper();
        JsonNode wanted = mapper.readTree(mapper.writeValueAsString(run));
        Path file = dir.resolve("run.json");
        if (Files.isRegularFile(file)) {
            JsonNode existing = RowFiles.read(file);
            if (existing.equals(wanted)) {
                return;
            }
            List<String> changes = upgrades(existing, wanted);
            if (changes == null) {
                throw new IllegalArgumentException(dir + " holds rows of another protocol (see " + file + "; this one is "
                        + (quick ? "--quick" : "the full protocol") + "); use another --out, or move that directory away");
            }
            // the same protocol for every finished row, described as this version does: rows added, or a row that now selects
            log.info("{}: {} (the other rows' settings are unchanged)", file, String.join("; ", changes));
            if (changes.contains(CAE_2_SELECTS) && RowRunner.finished(dir, Table1Row.CAE_2)) {
                Path kept = RowFiles.keepAside(dir, Table1Row.CAE_2, "before-selection");
                log.warn("CAE-2 was run with the CAE row's fine-tuner, before it had a selection of its own: its results moved to {},"
                        + " and the row runs again (its pretrained layers are reused)", kept);
            }
            if (changes.contains(FULL_RUNS_AT_FEW_LABELS)) {
                for (Table1Row row : Table1Protocol.SEMI_SUPERVISED_ROWS) {
                    if (RowFiles.hasResults(dir, row) && !(row == Table1Row.MTC && changes.contains(MTC_CHOOSES_AGAIN))) {
                        Path kept = RowFiles.keepAsideWithSelection(dir, row, HALVED_SELECTION);
                        log.warn("{} was chosen by successive halving's short rounds: its results and selection moved to {}, and the row"
                                + " chooses again with every candidate in full (its pretrainings and fine-tuning runs are reused)",
                                row.label(), kept);
                    }
                }
            }
            if (changes.contains(MTC_CHOOSES_AGAIN) && RowFiles.hasResults(dir, Table1Row.MTC)) {
                Path kept = RowFiles.keepAsideWithSelection(dir, Table1Row.MTC, MTC_FIRST_GRID);
                log.warn("the MTC was chosen from its first grid (constant rates, beta 0.1-10, 2/6/15-epoch rounds): its results and"
                        + " selection moved to {}, and the row chooses again (its encoders, tangents and fine-tuning runs are reused)", kept);
            }
            RowFiles.write(file, run);
        } else {
            RowFiles.write(file, run);
        }
    }

    static final String FOLLOW_UPS_ADDED = "adding the CAE+H and MTC rows' settings";
    static final String CAE_2_SELECTS = "CAE-2 chooses its fine-tuner on validation";
    static final String MTC_CHOOSES_AGAIN = "the MTC chooses again from its second grid (beta 1-10, decaying rates)";
    /** Where the MTC row's results from its first grid go when a directory is upgraded. */
    static final String MTC_FIRST_GRID = "first-grid";
    static final String FULL_RUNS_AT_FEW_LABELS = "with few labels every candidate fine-tunes in full (no short rounds)";
    /** Where a semi-supervised row's results chosen by the short rounds go when a directory is upgraded. */
    static final String HALVED_SELECTION = "halved-selection";

    /**
     * What turns the protocol of {@code existing} (a run.json) into {@code wanted} when that is only
     * how this version describes the same rows, or null when the protocols differ: a directory of the
     * eight paper rows (before CAE+H and the MTC existed) takes the two rows; one from before CAE-2's
     * selection takes CAE-2's grid (that row alone must run again); one of the MTC's first grid takes
     * its second (the same encoders and tangents; the MTC row alone chooses again).
     */
    static List<String> upgrades(JsonNode existing, JsonNode wanted) {
        JsonNode w = wanted.get("protocol");
        if (!(existing.get("protocol") instanceof ObjectNode) || w == null) {
            return null;
        }
        ObjectNode upgraded = (ObjectNode) existing.deepCopy();
        ObjectNode e = (ObjectNode) upgraded.get("protocol");
        List<String> changes = new ArrayList<>();
        if (!e.has(Table1Protocol.FOLLOW_UP_KEY) && w.has(Table1Protocol.FOLLOW_UP_KEY)) {
            e.set(Table1Protocol.FOLLOW_UP_KEY, w.get(Table1Protocol.FOLLOW_UP_KEY));
            changes.add(FOLLOW_UPS_ADDED);
        }
        String cae2 = Table1Row.CAE_2.id();
        if (e.get("grids") instanceof ObjectNode grids && Table1Protocol.CAE_2_BEFORE_SELECTION.equals(grids.path(cae2).asText(null))
                && w.path("grids").has(cae2)) {
            grids.set(cae2, w.get("grids").get(cae2));
            changes.add(CAE_2_SELECTS);
        }
        if (e.get(Table1Protocol.FOLLOW_UP_KEY) instanceof ObjectNode fe && w.get(Table1Protocol.FOLLOW_UP_KEY) instanceof ObjectNode fw
                && fe.path(Table1Row.CAE_H.id()).path("higher_order") instanceof ObjectNode higherOrder && higherOrder.has("mtc_finetuners")) {
            // the first grid kept the MTC's k, iterations and fine-tuners in CAE+H's entry: the encoders and tangents must be the same
            JsonNode k = higherOrder.remove("tangents_k");
            JsonNode iterations = higherOrder.remove("tangent_iterations");
            higherOrder.remove("mtc_finetuners");
            JsonNode mtc = fw.get(Table1Row.MTC.id());
            if (mtc != null && mtc.get("tangents_k").equals(k) && mtc.get("tangent_iterations").equals(iterations)
                    && mtc.get("encoders").equals(fe.path(Table1Row.MTC.id()).path("encoders"))) {
                fe.set(Table1Row.MTC.id(), mtc.deepCopy());
                changes.add(MTC_CHOOSES_AGAIN);
            }
        }
        // the semi-supervised setting's selections used short rounds of 1,000-digit epochs before: the rows choose again in full
        JsonNode fullRuns = SuccessiveHalving.everyCandidateInFull().describeJson();
        if (e.has("labels") && w.path("successive_halving").equals(fullRuns) && !e.path("successive_halving").equals(fullRuns)
                && e.get(Table1Protocol.FOLLOW_UP_KEY) instanceof ObjectNode fe && fe.get(Table1Row.MTC.id()) instanceof ObjectNode mtc) {
            e.set("successive_halving", fullRuns);
            if (mtc.has("halving")) {
                mtc.set("halving", fullRuns);
            }
            changes.add(FULL_RUNS_AT_FEW_LABELS);
        }
        return !changes.isEmpty() && upgraded.equals(wanted) ? changes : null;
    }

    private Map<String, Object> header(Table1Protocol protocol, MnistSplits data, String commit) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("description", String.format("Sigmoid MLP %d hidden units, pretrained without labels on %d training digits, fine-tuned on"
                        + " %s, early stopping on %d validation digits, tested once on %d test digits; seeds %s%s.",
                protocol.hidden(), data.trainX().size(0), protocol.labels() == 0 ? "their labels"
                        : "the labels of " + protocol.labels() + " of them (semi-supervised, " + protocol.labels() / 10 + " per class; paper column:"
                        + " the MTC paper's semi-supervised table)", data.validX().size(0), data.testX().size(0), protocol.seeds(),
                quick ? "; QUICK SETTING (smoke test), not the paper's protocol" : ""));
        h.put("data", data.source());
        h.put("seeds", protocol.seeds());
        h.put("git_commit", commit);
        h.put("protocol", protocol.describe());
        h.put("environment", Map.of("java", System.getProperty("java.version"), "cores", Runtime.getRuntime().availableProcessors(),
                "backend", Nd4j.getExecutioner().getClass().getSimpleName(),
                "nd4j_threads", Nd4j.getEnvironment().maxThreads()));
        h.put("updated", Instant.now().toString());
        return h;
    }

    /** HEAD's commit, marked when the working tree has changes to tracked files; "unknown" without git. */
    static String gitCommit() {
        try {
            String head = git("rev-parse", "HEAD");
            String dirty = git("status", "--porcelain", "--untracked-files=no");
            return head.isEmpty() ? "unknown" : head + (dirty.isEmpty() ? "" : " (with uncommitted changes)");
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String git(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return "";
        }
        return text;
    }
}

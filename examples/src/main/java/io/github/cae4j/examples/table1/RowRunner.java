package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.data.MnistSplits;
import io.github.cae4j.examples.Baselines;
import io.github.cae4j.examples.EncoderDiagnostics;
import io.github.cae4j.examples.ResultPlots;
import io.github.cae4j.pretrain.ClassifierOptions;
import io.github.cae4j.pretrain.GreedyLayerwisePretrainer;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.LayerReport;
import io.github.cae4j.pretrain.PretrainSchedule;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import io.github.cae4j.pretrain.PretrainedStack;
import io.github.cae4j.pretrain.SupervisedFineTuning;
import io.github.cae4j.training.EarlyStoppingRun;
import io.github.cae4j.training.ShuffledBatchIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Produces one row of the table: screens the row's grid on validation error, pretrains the chosen
 * point with the full budget, fine-tunes the MLP, and evaluates it once on the test digits. Each
 * finished step is saved ({@link RowFiles}); run again on the same directory, a row resumes after
 * its last finished step, and a finished row is not touched.
 */
final class RowRunner {

    private static final Logger log = LoggerFactory.getLogger(RowRunner.class);

    private final Table1Protocol protocol;
    private final MnistSplits data;
    private final Path out;
    private final long seed;
    private final String gitCommit;

    RowRunner(Table1Protocol protocol, MnistSplits data, Path out, long seed, String gitCommit) {
        this.protocol = protocol;
        this.data = data;
        this.out = out;
        this.seed = seed;
        this.gitCommit = gitCommit;
    }

    static boolean finished(Path out, Table1Row row) {
        return Files.isRegularFile(new RowFiles(out, row).resultFile());
    }

    /** Runs the row unless it is finished; returns its result document. */
    JsonNode run(Table1Row row) throws IOException {
        RowFiles files = new RowFiles(out, row);
        if (Files.isRegularFile(files.resultFile())) {
            log.info("{}: finished in an earlier run ({}), skipped", row.label(), files.resultFile());
            return RowFiles.read(files.resultFile());
        }
        long start = System.nanoTime();
        Selection selection = select(row);
        Candidate chosen = selection.chosen();
        log.info("{}: chose {} on validation error ({})", row.label(), chosen.id(), selection.summary());

        List<Layer> layers = pretrainFull(row, chosen);
        MultiLayerNetwork mlp = layers.isEmpty()
                ? Baselines.randomMlp(data.trainX().size(1), protocol.hidden(), 1, Activation.SIGMOID, new Adam(chosen.finetuneLr()), seed)
                : new PretrainedStack(layers.stream().map(Layer::ae).toList(), List.of())
                        .classifier(new ClassifierOptions(10, new Adam(chosen.finetuneLr()), 0.0, seed, DataType.FLOAT));
        PretrainedAutoencoder firstLayer = layers.isEmpty() ? Baselines.firstLayerAsEncoder(mlp) : layers.get(0).ae();
        EncoderDiagnostics diagnostics = EncoderDiagnostics.of(firstLayer, data.testX(), !layers.isEmpty());

        RowFiles.Saved<MultiLayerNetwork> finetuned = files.loadFinetuned();
        if (finetuned == null) {
            EarlyStoppingRun ft = finetune(row.label() + " fine-tuning (" + chosen.id() + ")", mlp, protocol.finetuneEpochs(),
                    protocol.finetunePatience());
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("valid_error_pct", 100 * (1 - ft.bestScore()));
            record.put("epochs", ft.epochs());
            record.put("best_epoch", ft.bestEpoch() + 1);
            record.put("seconds", ft.seconds());
            record.put("valid_accuracy_by_epoch", RowFiles.byEpoch(ft.scoreVsEpoch()));
            files.saveFinetuned(ft.best(), record);
            finetuned = files.loadFinetuned();
        } else {
            log.info("{}: fine-tuned model from an earlier run", row.label());
        }
        double testAccuracy = finetuned.value().evaluate(new ShuffledBatchIterator(data.testX(), data.testY(), 1000, 0, false)).accuracy();
        if (!layers.isEmpty() && row.hiddenLayers() == 1) {
            ResultPlots.filters(layers.get(0).ae(), 100, "First 100 filters of " + row.label() + " (columns of W)", files.filtersPng());
        }
        Map<String, Object> doc = resultDocument(row, selection, layers, finetuned.record(), diagnostics, 100 * (1 - testAccuracy),
                (System.nanoTime() - start) / 1e9);
        RowFiles.write(files.resultFile(), doc);
        log.info("{}: test error {}% (validation {}%), mean ||J||_F {}, SAT {}%", row.label(),
                String.format("%.2f", 100 * (1 - testAccuracy)), String.format("%.2f", finetuned.record().get("valid_error_pct").asDouble()),
                String.format("%.3f", diagnostics.meanJacobianFro()), String.format("%.1f", diagnostics.saturatedPct()));
        return RowFiles.read(files.resultFile());
    }

    /** A pretrained layer and what its pretraining measured (as saved beside it). */
    private record Layer(PretrainedAutoencoder ae, JsonNode reportJson) {
    }

    /** The grid's screened points and the one with the lowest validation error (the first such, in grid order). */
    private record Selection(Candidate chosen, List<JsonNode> screened) {
        String summary() {
            if (screened.isEmpty()) {
                return "a one-point grid, nothing to screen";
            }
            StringBuilder s = new StringBuilder();
            for (JsonNode n : screened) {
                s.append(s.length() == 0 ? "" : ", ").append(n.get("candidate").asText()).append(": ")
                        .append(String.format("%.2f%%", n.get("valid_error_pct").asDouble()));
            }
            return s.toString();
        }
    }

    /** CAE-2 takes the CAE row's choice: its first layer is that row's model. */
    private Selection select(Table1Row row) throws IOException {
        if (row == Table1Row.CAE_2) {
            Candidate cae = select(Table1Row.CAE).chosen();
            return new Selection(new Candidate(Table1Row.CAE_2, cae.regularization(), cae.finetuneLr()), List.of());
        }
        List<Candidate> grid = protocol.grid(row);
        if (grid.size() == 1) {
            return new Selection(grid.get(0), List.of());
        }
        RowFiles files = new RowFiles(out, row);
        List<JsonNode> screened = new ArrayList<>();
        int i = 0;
        while (i < grid.size()) {
            // points sharing a regularisation value share one short pretraining
            int j = i;
            while (j < grid.size() && grid.get(j).regularization() == grid.get(i).regularization()) {
                j++;
            }
            List<Candidate> group = grid.subList(i, j);
            if (group.stream().anyMatch(c -> !Files.isRegularFile(files.screeningFile(c)))) {
                screenGroup(row, group, files);
            }
            for (Candidate c : group) {
                screened.add(RowFiles.read(files.screeningFile(c)));
            }
            i = j;
        }
        int best = 0;
        for (int k = 1; k < screened.size(); k++) {
            if (screened.get(k).get("valid_error_pct").asDouble() < screened.get(best).get("valid_error_pct").asDouble()) {
                best = k;
            }
        }
        return new Selection(grid.get(best), screened);
    }

    private void screenGroup(Table1Row row, List<Candidate> group, RowFiles files) throws IOException {
        long start = System.nanoTime();
        PretrainedStack stack = null;
        if (row.pretrained()) {
            LayerPretrainOptions opts = group.get(0).layerOptions(protocol.hidden(), protocol.pretrainLr());
            stack = new GreedyLayerwisePretrainer(List.of(opts), new PretrainSchedule(protocol.pretrainBatch(),
                    protocol.screenPretrainEpochs(), protocol.screenPretrainEpochs(), seed), DataType.FLOAT)
                    .pretrain(data.trainX(), data.validX());
        }
        double pretrainSeconds = (System.nanoTime() - start) / 1e9;
        for (Candidate c : group) {
            if (Files.isRegularFile(files.screeningFile(c))) {
                continue;
            }
            MultiLayerNetwork mlp = stack == null
                    ? Baselines.randomMlp(data.trainX().size(1), protocol.hidden(), 1, Activation.SIGMOID, new Adam(c.finetuneLr()), seed)
                    : stack.classifier(new ClassifierOptions(10, new Adam(c.finetuneLr()), 0.0, seed, DataType.FLOAT));
            EarlyStoppingRun ft = finetune(row.label() + " screening " + c.id(), mlp, protocol.screenFinetuneEpochs(),
                    protocol.screenFinetuneEpochs());
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("candidate", c.id());
            doc.put(row.regularizer().symbol(), c.regularization());
            doc.put("finetune_lr", c.finetuneLr());
            doc.put("valid_error_pct", 100 * (1 - ft.bestScore()));
            doc.put("pretrain_epochs", stack == null ? 0 : protocol.screenPretrainEpochs());
            doc.put("finetune_epochs", ft.epochs());
            doc.put("seconds", pretrainSeconds + ft.seconds());
            RowFiles.write(files.screeningFile(c), doc);
            log.info("{} screening {}: validation error {}%", row.label(), c.id(), String.format("%.2f", 100 * (1 - ft.bestScore())));
        }
    }

    private EarlyStoppingRun finetune(String name, MultiLayerNetwork mlp, int maxEpochs, int patience) {
        return SupervisedFineTuning.fit(name, mlp,
                new ShuffledBatchIterator(data.trainX(), data.trainY(), protocol.finetuneBatch(), seed, true),
                new ShuffledBatchIterator(data.validX(), data.validY(), 1000, 0, false), maxEpochs, patience);
    }

    /** The row's pretrained layers with the full budget, each reloaded when an earlier run finished it. */
    private List<Layer> pretrainFull(Table1Row row, Candidate chosen) throws IOException {
        return switch (row) {
            case RANDOM -> List.of();
            case DL4J_AE -> List.of(dl4jAutoEncoder());
            case CAE_2 -> {
                Layer bottom = pretrainedLayer(Table1Row.CAE, 1, chosen, data.trainX(), data.validX(), seed);
                Layer top = pretrainedLayer(Table1Row.CAE_2, 2, chosen, bottom.ae().encode(data.trainX()),
                        bottom.ae().encode(data.validX()), seed + 1);
                yield List.of(bottom, top);
            }
            default -> List.of(pretrainedLayer(row, 1, chosen, data.trainX(), data.validX(), seed));
        };
    }

    private Layer pretrainedLayer(Table1Row owner, int layer, Candidate c, INDArray train, INDArray heldOut, long layerSeed)
            throws IOException {
        RowFiles files = new RowFiles(out, owner);
        RowFiles.Saved<PretrainedAutoencoder> saved = files.loadLayer(layer);
        if (saved != null) {
            log.info("{} layer {}: pretrained in an earlier run", owner.label(), layer);
            return new Layer(saved.value(), saved.record());
        }
        LayerPretrainOptions opts = new Candidate(owner, c.regularization(), c.finetuneLr()).layerOptions(protocol.hidden(),
                protocol.pretrainLr());
        PretrainedStack stack = new GreedyLayerwisePretrainer(List.of(opts), new PretrainSchedule(protocol.pretrainBatch(),
                protocol.pretrainEpochs(), protocol.pretrainPatience(), layerSeed), DataType.FLOAT).pretrain(train, heldOut);
        LayerReport report = stack.reports().get(0).atLayer(layer - 1);
        files.saveLayer(layer, stack.autoencoders().get(0), report);
        return new Layer(stack.autoencoders().get(0), RowFiles.read(files.layerReportFile(layer)));
    }

    private Layer dl4jAutoEncoder() throws IOException {
        RowFiles files = new RowFiles(out, Table1Row.DL4J_AE);
        RowFiles.Saved<PretrainedAutoencoder> saved = files.loadLayer(1);
        if (saved != null) {
            return new Layer(saved.value(), saved.record());
        }
        Baselines.Dl4jAutoEncoder b = Baselines.pretrainDl4jAutoEncoder(data.trainX(), data.validX(), protocol.hidden(),
                new Adam(protocol.pretrainLr()), protocol.pretrainBatch(), protocol.pretrainEpochs(), protocol.pretrainPatience(), seed);
        files.saveLayer(1, b.autoencoder(), b.report());
        return new Layer(b.autoencoder(), RowFiles.read(files.layerReportFile(1)));
    }

    private Map<String, Object> resultDocument(Table1Row row, Selection selection, List<Layer> layers, JsonNode finetune,
                                               EncoderDiagnostics d, double testErrorPct, double sessionSeconds) {
        double pretrainSeconds = layers.stream().mapToDouble(l -> l.reportJson().get("seconds").asDouble()).sum();
        int pretrainEpochs = layers.stream().mapToInt(l -> l.reportJson().get("epochs").asInt()).sum();
        double screeningSeconds = selection.screened().stream().mapToDouble(n -> n.get("seconds").asDouble()).sum();
        Candidate c = selection.chosen();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("regularizer", row.regularizer().symbol());
        config.put("regularization", c.regularization());
        config.put("finetune_lr", c.finetuneLr());
        config.put("hidden", protocol.hidden());
        config.put("hidden_layers", row.hiddenLayers());
        config.put("encoder", "sigmoid, tied decoder, sigmoid output, cross-entropy summed over pixels");
        config.put("pretrain", Map.of("optimizer", "Adam(" + protocol.pretrainLr() + ")", "batch", protocol.pretrainBatch(),
                "max_epochs", protocol.pretrainEpochs(), "patience", protocol.pretrainPatience(),
                "early_stopping", "held-out objective on the validation digits (no labels)"));
        config.put("finetune", Map.of("optimizer", "Adam(" + c.finetuneLr() + ")", "batch", protocol.finetuneBatch(),
                "max_epochs", protocol.finetuneEpochs(), "patience", protocol.finetunePatience(),
                "early_stopping", "validation accuracy"));
        config.put("grid", Map.of(row.regularizer().symbol(), protocol.grid(row).stream().map(Candidate::regularization).distinct().toList(),
                "finetune_lr", protocol.grid(row).stream().map(Candidate::finetuneLr).distinct().toList(),
                "screening", Map.of("pretrain_epochs", protocol.screenPretrainEpochs(), "finetune_epochs", protocol.screenFinetuneEpochs()),
                "selected_by", row == Table1Row.CAE_2 ? "the CAE row's choice" : "lowest validation error of the screening runs"));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", row.label());
        doc.put("id", row.id());
        doc.put("test_error_pct", testErrorPct);
        doc.put("valid_error_pct", finetune.get("valid_error_pct").asDouble());
        doc.put("paper_test_error_pct", Double.isNaN(row.paperTestErrorPct()) ? null : row.paperTestErrorPct());
        doc.put("mean_jacobian_fro", d.meanJacobianFro());
        doc.put("saturated_pct", d.saturatedPct());
        doc.put("pretrain_s", pretrainSeconds);
        doc.put("finetune_s", finetune.get("seconds").asDouble());
        doc.put("screening_s", screeningSeconds);
        doc.put("pretrain_epochs", pretrainEpochs);
        doc.put("finetune_epochs", finetune.get("epochs").asInt());
        doc.put("finetune_best_epoch", finetune.get("best_epoch").asInt());
        doc.put("seed", seed);
        doc.put("git_commit", gitCommit);
        doc.put("config", config);
        doc.put("screening", selection.screened());
        doc.put("pretrained_layers", layers.stream().map(Layer::reportJson).toList());
        doc.put("valid_accuracy_by_epoch", finetune.get("valid_accuracy_by_epoch"));
        doc.put("diagnostics", Map.of("test_reconstruction", Double.isNaN(d.testReconstruction()) ? "n/a" : d.testReconstruction(),
                "jacobian_singular_values", d.singularValues(), "contraction_radii", d.contractionRadii(),
                "contraction_ratios", d.contractionRatios(),
                "measured_on", "the first hidden layer before fine-tuning, test digits"));
        doc.put("seconds_this_run", sessionSeconds);
        return doc;
    }
}

package io.github.cae4j.examples;

import io.github.cae4j.diagnostics.JacobianNorms;

import io.github.cae4j.examples.data.MnistSplits;
import io.github.cae4j.io.ModelFiles;
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
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The semi-supervised comparison: every training digit is used without labels for pretraining,
 * then each MLP is fine-tuned on a few labelled digits with early stopping on the validation split,
 * and the test split is evaluated once per final model. Pretraining does not depend on the number
 * of labels, so each row is pretrained once per seed and reused for every label count.
 */
public final class SemiSupervisedExperiment {

    private static final Logger log = LoggerFactory.getLogger(SemiSupervisedExperiment.class);
    private static final int N_CLASSES = Baselines.N_CLASSES;

    private final ExperimentConfig cfg;

    public SemiSupervisedExperiment(ExperimentConfig cfg) {
        this.cfg = cfg;
    }

    /** A pretrained row: its stack and what pretraining cost. */
    private record Pretrained(PretrainedStack stack, int epochs, double seconds) {
    }

    /** Results of a whole run. */
    public record Outcome(List<RowResult> rows, Map<String, EncoderDiagnostics> diagnostics,
                          Map<String, Map<Integer, Double>> pretrainCurves, Map<Double, double[]> lambdaSweep,
                          Map<String, PretrainedAutoencoder> firstLayers, Map<String, List<LayerReport>> layerReports) {
    }

    /** Stages of a run: each pretraining, each extra pretraining of the lambda sweep, each fine-tuning (one per learning rate). */
    public int stages() {
        long pretrainedRows = cfg.rows().stream().filter(ModelRow::pretrained).count();
        long extraSweep = cfg.lambdaSweep().stream().filter(l -> !(l == 0 && cfg.rows().contains(ModelRow.AE))
                && !(l == cfg.lambda() && cfg.rows().contains(ModelRow.CAE))).count();
        return (int) (cfg.seeds().size() * (pretrainedRows + (long) cfg.labels().size() * cfg.rows().size() * cfg.finetuneLrs().size()) + extraSweep);
    }

    /**
     * @param progress     logs stage k of {@link #stages()}
     * @param onRowResult  called after each fine-tuning with every result so far (the example saves them)
     */
    public Outcome run(MnistSplits data, StageProgress progress, java.util.function.Consumer<List<RowResult>> onRowResult) {
        List<RowResult> results = new ArrayList<>();
        Map<String, EncoderDiagnostics> diagnostics = new LinkedHashMap<>();
        Map<String, Map<Integer, Double>> curves = new LinkedHashMap<>();
        Map<Double, double[]> sweep = new LinkedHashMap<>();
        Map<String, PretrainedAutoencoder> firstLayers = new LinkedHashMap<>();
        Map<String, List<LayerReport>> layerReports = new LinkedHashMap<>();
        for (int s = 0; s < cfg.seeds().size(); s++) {
            long seed = cfg.seeds().get(s);
            boolean firstSeed = s == 0;
            Map<ModelRow, Pretrained> pretrained = new EnumMap<>(ModelRow.class);
            for (ModelRow row : cfg.rows()) {
                if (row.pretrained()) {
                    progress.begin("pretrain " + row.id() + ", seed " + seed);
                    Pretrained p = pretrain(row, data, seed, pretrained);
                    pretrained.put(row, p);
                    layerReports.put(row.id() + ", seed " + seed, p.stack().reports());
                    if (firstSeed) {
                        PretrainedAutoencoder first = p.stack().autoencoders().get(0);
                        firstLayers.put(row.id(), first);
                        for (LayerReport r : p.stack().reports()) {
                            curves.put(row.id() + " layer " + (r.layer() + 1), r.heldOutScoreByEpoch());
                        }
                    }
                }
            }
            if (firstSeed && !cfg.lambdaSweep().isEmpty()) {
                sweep.putAll(lambdaSweep(data, seed, pretrained, progress));
            }
            for (int labels : cfg.labels()) {
                int[] labelled = labelledSubset(data.trainY(), labels, seed);
                INDArray xl = Nd4j.pullRows(data.trainX(), 1, labelled);
                INDArray yl = Nd4j.pullRows(data.trainY(), 1, labelled);
                for (ModelRow row : cfg.rows()) {
                    results.add(finetune(row, pretrained.get(row), data, xl, yl, seed, firstSeed, diagnostics, firstLayers, progress));
                    onRowResult.accept(List.copyOf(results));
                }
            }
        }
        return new Outcome(results, diagnostics, curves, sweep, firstLayers, layerReports);
    }

    /**
     * Fine-tunes one row on the labelled digits with every learning rate of the configuration, keeps
     * the model with the lowest validation error (ties: the earlier rate) and evaluates only that one
     * on the test digits.
     */
    private RowResult finetune(ModelRow row, Pretrained p, MnistSplits data, INDArray xl, INDArray yl, long seed, boolean firstSeed,
                               Map<String, EncoderDiagnostics> diagnostics, Map<String, PretrainedAutoencoder> firstLayers,
                               StageProgress progress) {
        int labels = (int) xl.size(0);
        EarlyStoppingRun kept = null;
        double keptLr = Double.NaN;
        double seconds = 0;
        Map<Double, Double> validByLr = new LinkedHashMap<>();
        EncoderDiagnostics diag = null;
        for (double lr : cfg.finetuneLrs()) {
            MultiLayerNetwork classifier = p != null ? p.stack().classifier(classifierOptions(seed, lr))
                    : randomClassifier(row, data.trainX().size(1), seed, lr);
            if (diag == null) {
                // the encoder before fine-tuning: the same for every rate
                PretrainedAutoencoder first = p != null ? p.stack().autoencoders().get(0) : Baselines.firstLayerAsEncoder(classifier);
                diag = EncoderDiagnostics.of(first, data.testX(), p != null);
                if (firstSeed) {
                    diagnostics.putIfAbsent(row.id(), diag);
                    firstLayers.putIfAbsent(row.id(), first);
                }
            }
            String name = String.format("fine-tune %s, %d labels, seed %d, Adam %s", row.id(), labels, seed, lr);
            progress.begin(name);
            EarlyStoppingRun ft = SupervisedFineTuning.fit(name, classifier,
                    new ShuffledBatchIterator(xl, yl, cfg.finetuneBatch(), seed, true),
                    new ShuffledBatchIterator(data.validX(), data.validY(), 1000, 0, false),
                    cfg.finetuneEpochs(), cfg.patience());
            seconds += ft.seconds();
            // bestScore is the validation accuracy
            validByLr.put(lr, 100 * (1 - ft.bestScore()));
            if (kept == null || ft.bestScore() > kept.bestScore()) {
                kept = ft;
                keptLr = lr;
            }
        }
        if (cfg.saveModels()) {
            saveModel(kept.best(), String.format("%s-labels%d-seed%d.zip", row.id(), labels, seed));
        }
        double testAccuracy = kept.best().evaluate(new ShuffledBatchIterator(data.testX(), data.testY(), 1000, 0, false)).accuracy();
        boolean sigmoid = row != ModelRow.RANDOM_RELU;
        log.info("fine-tune {}, {} labels, seed {}: kept Adam {} (validation error % by rate: {}); test error {}%", row.id(), labels, seed,
                keptLr, validByLr, String.format("%.2f", 100 * (1 - testAccuracy)));
        return new RowResult(row, seed, labels, 100 * (1 - testAccuracy), 100 * (1 - kept.bestScore()),
                diag.meanJacobianFro(), sigmoid ? diag.saturatedPct() : Double.NaN,
                p == null ? 0 : p.epochs(), p == null ? 0 : p.seconds(), kept.epochs(), kept.bestEpoch(),
                seconds, keptLr, validByLr, kept.scoreVsEpoch());
    }

    private void saveModel(MultiLayerNetwork net, String fileName) {
        Path file = cfg.out().resolve("models").resolve(fileName);
        try {
            ModelFiles.saveAtomically(net, file, true);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save " + file + ": " + e.getMessage(), e);
        }
    }

    private ClassifierOptions classifierOptions(long seed, double lr) {
        return new ClassifierOptions(N_CLASSES, new Adam(lr), 0.0, seed, DataType.FLOAT);
    }

    private PretrainSchedule schedule(long seed) {
        return new PretrainSchedule(cfg.pretrainBatch(), cfg.pretrainEpochs(), cfg.patience(), seed);
    }

    private LayerPretrainOptions layerOptions(double lambda, double corruption) {
        return LayerPretrainOptions.cae(cfg.hidden(), lambda).withCorruptionLevel(corruption)
                .withUpdater(new Adam(cfg.pretrainLr()));
    }

    private Pretrained pretrain(ModelRow row, MnistSplits data, long seed, Map<ModelRow, Pretrained> earlier) {
        switch (row) {
            case AE:
                return greedy(List.of(layerOptions(0, 0)), data.trainX(), data.validX(), seed);
            case DAE:
                return greedy(List.of(layerOptions(0, cfg.corruption())), data.trainX(), data.validX(), seed);
            case CAE:
                return greedy(List.of(layerOptions(cfg.lambda(), 0)), data.trainX(), data.validX(), seed);
            case CAE_2: {
                // Layer 1 is the CAE row's (same options and seed); only layer 2 is new.
                Pretrained bottom = earlier.containsKey(ModelRow.CAE) ? earlier.get(ModelRow.CAE)
                        : greedy(List.of(layerOptions(cfg.lambda(), 0)), data.trainX(), data.validX(), seed);
                PretrainedAutoencoder first = bottom.stack().autoencoders().get(0);
                Pretrained top = greedy(List.of(layerOptions(cfg.lambda(), 0)), first.encode(data.trainX()),
                        first.encode(data.validX()), seed + 1);
                List<LayerReport> reports = new ArrayList<>(bottom.stack().reports());
                reports.add(top.stack().reports().get(0).atLayer(1));
                PretrainedStack stack = new PretrainedStack(
                        List.of(first, top.stack().autoencoders().get(0)), reports);
                return new Pretrained(stack, bottom.epochs() + top.epochs(), bottom.seconds() + top.seconds());
            }
            case DL4J_AUTOENCODER:
                return dl4jAutoEncoder(data, seed);
            default:
                throw new IllegalArgumentException(row + " is not pretrained");
        }
    }

    private Pretrained greedy(List<LayerPretrainOptions> layers, INDArray train, INDArray heldOut, long seed) {
        long start = System.nanoTime();
        PretrainedStack stack = new GreedyLayerwisePretrainer(layers, schedule(seed), DataType.FLOAT).pretrain(train, heldOut);
        int epochs = stack.reports().stream().mapToInt(LayerReport::epochs).sum();
        return new Pretrained(stack, epochs, (System.nanoTime() - start) / 1e9);
    }

    private Pretrained dl4jAutoEncoder(MnistSplits data, long seed) {
        Baselines.Dl4jAutoEncoder b = Baselines.pretrainDl4jAutoEncoder(data.trainX(), data.validX(), cfg.hidden(),
                new Adam(cfg.pretrainLr()), cfg.pretrainBatch(), cfg.pretrainEpochs(), cfg.patience(), seed);
        return new Pretrained(new PretrainedStack(List.of(b.autoencoder()), List.of(b.report())), b.run().epochs(),
                b.report().seconds());
    }

    /** Mean ||J||_F and reconstruction error on test digits, per lambda; reuses rows pretrained with the same settings. */
    private Map<Double, double[]> lambdaSweep(MnistSplits data, long seed, Map<ModelRow, Pretrained> pretrained, StageProgress progress) {
        Map<Double, double[]> out = new LinkedHashMap<>();
        for (double lambda : cfg.lambdaSweep()) {
            Pretrained p;
            if (lambda == 0 && pretrained.containsKey(ModelRow.AE)) {
                p = pretrained.get(ModelRow.AE);
            } else if (lambda == cfg.lambda() && pretrained.containsKey(ModelRow.CAE)) {
                p = pretrained.get(ModelRow.CAE);
            } else {
                progress.begin("lambda sweep: pretrain lambda " + lambda + ", seed " + seed);
                p = greedy(List.of(layerOptions(lambda, 0)), data.trainX(), data.validX(), seed);
            }
            PretrainedAutoencoder ae = p.stack().autoencoders().get(0);
            out.put(lambda, new double[]{
                    io.github.cae4j.diagnostics.JacobianNorms.meanFrobenius(ae.jacobianFrobeniusSquared(data.testX())),
                    ae.reconstructionError(data.testX())});
            log.info("lambda sweep: lambda={} mean ||J||_F={} test reconstruction={}", lambda,
                    String.format("%.4f", out.get(lambda)[0]), String.format("%.3f", out.get(lambda)[1]));
        }
        return out;
    }

    private MultiLayerNetwork randomClassifier(ModelRow row, long nIn, long seed, double lr) {
        return Baselines.randomMlp(nIn, cfg.hidden(), row.hiddenLayers(),
                row == ModelRow.RANDOM_RELU ? Activation.RELU : Activation.SIGMOID, new Adam(lr), seed);
    }

    /**
     * A class-balanced subset of the training digits, chosen with the seed: {@code labels / 10} per
     * class (the remainder to the first classes); 0 or more than available means all of them.
     */
    static int[] labelledSubset(INDArray oneHot, int labels, long seed) {
        int n = (int) oneHot.size(0);
        if (labels == 0 || labels >= n) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] classes = oneHot.argMax(1).toIntVector();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < N_CLASSES; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            byClass.get(classes[i]).add(i);
        }
        Random rng = new Random(seed);
        List<Integer> chosen = new ArrayList<>();
        for (int c = 0; c < N_CLASSES; c++) {
            List<Integer> members = byClass.get(c);
            Collections.shuffle(members, rng);
            int take = Math.min(members.size(), labels / N_CLASSES + (c < labels % N_CLASSES ? 1 : 0));
            chosen.addAll(members.subList(0, take));
        }
        Collections.shuffle(chosen, rng);
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }
}

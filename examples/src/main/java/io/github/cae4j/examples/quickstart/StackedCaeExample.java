package io.github.cae4j.examples.quickstart;

import io.github.cae4j.pretrain.ClassifierOptions;
import io.github.cae4j.pretrain.GreedyLayerwisePretrainer;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.LayerReport;
import io.github.cae4j.pretrain.PretrainSchedule;
import io.github.cae4j.pretrain.PretrainedStack;
import io.github.cae4j.pretrain.SupervisedFineTuning;
import io.github.cae4j.training.EarlyStoppingRun;
import io.github.cae4j.training.ShuffledBatchIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Greedy layer-wise pretraining of two stacked CAEs, then supervised fine-tuning of the 784-h1-h2-10
 * network they start (Rifai et al., ICML 2011, section 5). CAE 1 learns h1 = f(x W1 + b1) from the
 * pixels; CAE 2 then learns h2 = f(h1 W2 + b2) from h1, with CAE 1 fixed. Neither sees a label.
 * Run it with {@code examples/run-example.sh StackedCaeExample [--train N] [--epochs N]}.
 */
@Command(name = "StackedCaeExample", mixinStandardHelpOptions = true, description = "Two stacked CAEs, pretrained greedily, then fine-tuned.")
public final class StackedCaeExample implements Callable<Integer> {

    @Option(names = "--data-dir", description = "The four MNIST IDX files (default: ${DEFAULT-VALUE}).") Path dataDir = QuickstartMnist.defaultDir();
    @Option(names = "--train", description = "Training digits (default: ${DEFAULT-VALUE}).") int trainDigits = 10_000;
    @Option(names = "--epochs", description = "Epoch limit per layer and for fine-tuning (default: ${DEFAULT-VALUE}).") int maxEpochs = 10;

    public record Options(Path dataDir, int trainDigits, int hidden1, int hidden2, int maxEpochs) { }

    /** What pretraining measured per layer, the fine-tuned network and its validation and test accuracy. */
    public record Result(List<LayerReport> layers, MultiLayerNetwork classifier, double validationAccuracy, double testAccuracy) { }

    static final long SEED = 42;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StackedCaeExample()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        run(new Options(dataDir, trainDigits, 256, 128, maxEpochs));
        return 0;
    }

    public static Result run(Options o) throws Exception {
        // Training digits, and a fifth as many held-out digits that decide when each stage stops.
        var digits = QuickstartMnist.trainAndValidation(o.dataDir(), o.trainDigits(), o.trainDigits() / 5, SEED);

        // 1. Greedy pretraining. Each layer is a sigmoid CAE with tied weights (decoder x̂ = sigmoid(h Wᵀ + c),
        //    as in the paper), trained by DL4J's EarlyStoppingTrainer until its held-out loss stops improving.
        //    Why not MultiLayerNetwork.pretrain() on a two-layer net: in DL4J 1.0.0-M2.1 it feeds layer 2 the
        //    raw pixels instead of h1. The pretrainer computes h1 from the trained CAE 1 itself.
        var pretrainer = new GreedyLayerwisePretrainer(
                List.of(LayerPretrainOptions.cae(o.hidden1(), 0.1), LayerPretrainOptions.cae(o.hidden2(), 0.1)),
                new PretrainSchedule(64, o.maxEpochs(), 2, SEED), DataType.FLOAT);
        PretrainedStack stack = pretrainer.pretrain(digits.getTrain().getFeatures(), digits.getTest().getFeatures());
        for (LayerReport r : stack.reports()) {
            System.out.printf("CAE %d (%d -> %d): held-out reconstruction %.2f, mean ||J||_F %.3f, %d epochs%n",
                    r.layer() + 1, r.nIn(), r.nOut(), r.heldOutReconstruction(), r.heldOutMeanJacobianNorm(), r.epochs());
        }

        // 2. Fine-tuning: an MLP whose hidden layers are DL4J DenseLayers holding the two encoders' W and b,
        //    topped by a new softmax layer, trained on the labels with early stopping on validation accuracy.
        MultiLayerNetwork classifier = stack.classifier(new ClassifierOptions(10, new Adam(1e-3), 0.0, SEED, DataType.FLOAT));
        classifier.setListeners(new ScoreIterationListener(100));
        EarlyStoppingRun tuned = SupervisedFineTuning.fit("fine-tuning", classifier,
                ShuffledBatchIterator.of(digits.getTrain(), 32, SEED, true),
                ShuffledBatchIterator.of(digits.getTest(), 1000, SEED, false), o.maxEpochs(), 2);

        // 3. The test digits, seen for the first time.
        Evaluation eval = tuned.best().evaluate(QuickstartMnist.test(o.dataDir(), 10_000, 1000));
        System.out.println(eval.stats());
        System.out.printf("Validation accuracy %.4f (epoch %d of %d), test accuracy %.4f%n",
                tuned.bestScore(), tuned.bestEpoch() + 1, tuned.epochs(), eval.accuracy());
        return new Result(stack.reports(), tuned.best(), tuned.bestScore(), eval.accuracy());
    }
}

package io.github.cae4j;

import io.github.cae4j.diagnostics.JacobianNorms;
import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.layers.DecoderOutputLayer;
import io.github.cae4j.losses.ContractiveLossFunction;
import io.github.cae4j.pretrain.ClassifierOptions;
import io.github.cae4j.pretrain.GreedyLayerwisePretrainer;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.PretrainSchedule;
import io.github.cae4j.pretrain.PretrainedStack;
import io.github.cae4j.pretrain.SupervisedFineTuning;
import io.github.cae4j.training.EarlyStoppingRun;
import io.github.cae4j.training.ShuffledBatchIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps README's code compiling and working: the lines between the markers are README's java blocks, checked line by line. */
class ReadmeUsageTest {

    private static final Logger log = LoggerFactory.getLogger(ReadmeUsageTest.class);

    @Test
    void readmeSnippetTrains() {
        INDArray features = Nd4j.rand(64, 784);
        // --- README snippet ---
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ContractiveDenseLayer.Builder()          // the encoder: h = sigmoid(xW + b)
                        .nIn(784).nOut(500)
                        .activation(Activation.SIGMOID)
                        .lambda(0.1)                                  // contraction strength
                        .build())
                .layer(new DecoderOutputLayer.Builder(new ContractiveLossFunction(
                                ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY))
                        .nIn(500).nOut(784)                           // the decoder reconstructs x
                        .activation(Activation.SIGMOID)
                        .build())
                .build();
        MultiLayerNetwork cae = new MultiLayerNetwork(conf);
        cae.init();
        cae.fit(new DataSet(features, features));                    // labels = features
        double meanJ = JacobianNorms.meanFrobenius(JacobianNorms.frobeniusSquared(cae, 0, features));
        // --- end of snippet ---
        assertTrue(meanJ > 0 && Double.isFinite(cae.score()), "meanJ=" + meanJ + ", score=" + cae.score());
    }

    @Test
    void readmePretrainingSnippetBuildsAClassifier() {
        INDArray unlabelledX = Nd4j.rand(DataType.FLOAT, 96, 784);
        INDArray heldOutX = Nd4j.rand(DataType.FLOAT, 32, 784);
        INDArray labels = Nd4j.eye(10).repeat(0, 10).get(NDArrayIndex.interval(0, 96), NDArrayIndex.all()).castTo(DataType.FLOAT);
        DataSetIterator trainIter = new ShuffledBatchIterator(unlabelledX, labels, 32, 1, true);
        DataSetIterator validIter = new ShuffledBatchIterator(heldOutX, labels.get(NDArrayIndex.interval(0, 32), NDArrayIndex.all()), 32, 1, false);
        // --- README snippet ---
        PretrainedStack stack = new GreedyLayerwisePretrainer(
                List.of(LayerPretrainOptions.cae(500, 1.0).withUpdater(new Adam(3e-3)),    // CAE 1 on x
                        LayerPretrainOptions.cae(500, 1.0).withUpdater(new Adam(3e-3))),   // CAE 2 on h1
                new PretrainSchedule(128, 30, 10, 42),   // batch, max epochs, early-stopping patience, seed
                DataType.FLOAT).pretrain(unlabelledX, heldOutX);
        stack.reports().forEach(r -> log.info("{}", r));  // reconstruction, mean ||J||_F on held-out data, epochs, time
        MultiLayerNetwork mlp = stack.classifier(new ClassifierOptions(10, new Adam(1e-3), 0.0, 42, DataType.FLOAT));
        EarlyStoppingRun run = SupervisedFineTuning.fit("fine-tune", mlp, trainIter, validIter, 100, 10);
        // --- end of snippet ---
        assertEquals(3, mlp.getnLayers());
        MultiLayerNetwork fresh = stack.classifier(new ClassifierOptions(10, new Adam(1e-3), 0.0, 42, DataType.FLOAT));
        assertEquals(stack.autoencoders().get(1).W(), fresh.getLayer(1).getParam("W"));
        assertTrue(Double.isFinite(run.bestScore()));
        assertTrue(run.epochs() >= 1);
    }

    /** Every line of every java block in README.md appears in this file, so the two cannot drift apart. */
    @Test
    void readmeJavaBlocksAreTheOnesTestedHere() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Set<String> here = Files.readAllLines(Path.of("src/test/java/io/github/cae4j/ReadmeUsageTest.java")).stream()
                .map(String::strip).collect(Collectors.toSet());
        Matcher blocks = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        int count = 0;
        while (blocks.find()) {
            count++;
            for (String line : blocks.group(1).split("\\n")) {
                assertTrue(line.isBlank() || here.contains(line.strip()), "README line not kept in this test: " + line);
            }
        }
        assertEquals(2, count, "java blocks in README.md");
    }
}

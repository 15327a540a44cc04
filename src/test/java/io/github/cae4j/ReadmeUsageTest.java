package io.github.cae4j;

import io.github.cae4j.pretrain.ClassifierOptions;
import io.github.cae4j.pretrain.GreedyLayerwisePretrainer;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.PretrainSchedule;
import io.github.cae4j.pretrain.PretrainedStack;
import io.github.cae4j.pretrain.SupervisedFineTuning;
import io.github.cae4j.training.EarlyStoppingRun;
import io.github.cae4j.training.ShuffledBatchIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps README's code compiling and working: the quick start is compiled as it stands; the pretraining block's lines are between the markers below, checked line by line. */
class ReadmeUsageTest {

    private static final Logger log = LoggerFactory.getLogger(ReadmeUsageTest.class);

    /** README's quick start is a whole program: compiled here as it stands (imports included) and run. */
    @Test
    void readmeQuickStartCompilesAndRuns(@TempDir Path dir) throws Exception {
        String source = javaBlocks().stream().filter(b -> b.contains("public class QuickStart")).findFirst()
                .orElseThrow(() -> new AssertionError("README.md has no quick start class"));
        Path file = dir.resolve("QuickStart.java");
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, null, diagnostics, "-classpath", System.getProperty("java.class.path"),
                "-d", dir.toString(), file.toString());
        assertEquals(0, rc, "README's quick start does not compile:\n" + diagnostics);
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[]{dir.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            loader.loadClass("QuickStart").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(stdout);
        }
        Matcher m = Pattern.compile("score ([0-9.]+), mean \\|\\|J_f\\(x\\)\\|\\|_F ([0-9.]+), features 256 x 500").matcher(printed.toString(StandardCharsets.UTF_8));
        assertTrue(m.find(), "quick start printed: " + printed);
        assertTrue(Double.parseDouble(m.group(1)) > 0 && Double.parseDouble(m.group(2)) > 0, printed.toString(StandardCharsets.UTF_8));
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

    private static List<String> javaBlocks() throws IOException {
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(Path.of("README.md")));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** Every line of README's other java blocks appears in this file, so the two cannot drift apart. */
    @Test
    void readmeJavaBlocksAreTheOnesTestedHere() throws IOException {
        Set<String> here = Files.readAllLines(Path.of("src/test/java/io/github/cae4j/ReadmeUsageTest.java")).stream()
                .map(String::strip).collect(Collectors.toSet());
        List<String> blocks = javaBlocks();
        assertEquals(2, blocks.size(), "java blocks in README.md");
        for (String block : blocks) {
            if (block.contains("public class QuickStart")) {
                continue; // compiled as a whole above
            }
            for (String line : block.split("\\n")) {
                assertTrue(line.isBlank() || here.contains(line.strip()), "README line not kept in this test: " + line);
            }
        }
    }
}

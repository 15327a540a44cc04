package io.github.cae4j.bench;

import io.github.cae4j.layers.TangentPropDenseLayer;
import io.github.cae4j.layers.TangentPropOutputLayer;
import io.github.cae4j.tangents.ManifoldTangents;
import io.github.cae4j.tangents.TangentOptions;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Cost of the Manifold Tangent Classifier: a training step of the tangent-propagation MLP with k
 * tangents against a plain fine-tuning step of the same MLP (DL4J's DenseLayer/OutputLayer), timed in
 * interleaved rounds (the target: within (1 + k)x), and the time to compute the tangents of
 * 1000 inputs with {@link ManifoldTangents}. One JSON line per case.
 *
 * <pre>
 *   benchmarks/run-tangent-bench.sh                       # 784-1000-10, batch 100, k = 1..10
 *   benchmarks/run-tangent-bench.sh --k 1,5 --hidden 1000,1000
 * </pre>
 */
@Command(name = "tangent-bench", mixinStandardHelpOptions = true,
        description = "MTC training step vs plain fine-tuning step, and tangents per 1000 inputs; one JSON line per case.")
public final class TangentBench implements Callable<Integer> {

    @Option(names = "--nin", defaultValue = "784", description = "Input size d (default: ${DEFAULT-VALUE}).")
    int nIn;

    @Option(names = "--hidden", split = ",", defaultValue = "1000", description = "Hidden layer sizes, bottom first (default: ${DEFAULT-VALUE}).")
    List<Integer> hidden;

    @Option(names = "--classes", defaultValue = "10", description = "Output classes (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--batch", defaultValue = "100", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--k", split = ",", defaultValue = "1,2,3,4,5,6,7,8,9,10", description = "Tangents per example (default: ${DEFAULT-VALUE}).")
    List<Integer> ks;

    @Option(names = "--tangent-examples", defaultValue = "1000", description = "Inputs whose tangents are timed, 0 to skip (default: ${DEFAULT-VALUE}).")
    int tangentExamples;

    @Option(names = "--iterations", defaultValue = "4", description = "Subspace iterations for the tangents (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--seconds", defaultValue = "1.0", description = "Seconds per case per round (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--rounds", defaultValue = "5", description = "Interleaved rounds; medians are reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "3", description = "Warm-up steps per case (default: ${DEFAULT-VALUE}).")
    int warmup;

    private PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TangentBench()).execute(args));
    }

    TangentBench output(PrintStream stream) {
        this.out = stream;
        return this;
    }

    @Override
    public Integer call() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("case", "machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("nd4j_threads", Nd4j.getEnvironment().maxThreads());
        machine.put("omp_wait_policy", String.valueOf(System.getenv("OMP_WAIT_POLICY")));
        machine.put("load_average", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.println(JsonLine.of(machine));

        var rng = Nd4j.getRandomFactory().getNewRandomInstance(42);
        INDArray x = Nd4j.rand(rng, batch, nIn).castTo(DataType.FLOAT);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, classes);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % classes, 1.0);
        }
        MultiLayerNetwork plain = plainNetwork();
        List<BenchCase> cases = new ArrayList<>();
        cases.add(fitCase("plain", plain, new DataSet(x, y), 0));
        for (int k : ks) {
            INDArray u = Nd4j.randn(rng, new long[]{batch, (long) k * nIn}).castTo(DataType.FLOAT).muli(1.0 / Math.sqrt(nIn));
            cases.add(fitCase("mtc-k" + k, tangentNetwork(k), new DataSet(Nd4j.hstack(x, u), y), k));
        }
        BenchCase[] array = cases.toArray(new BenchCase[0]);
        double[][] ms = Timing.interleaved(array, rounds, seconds, warmup);
        double plainMs = Timing.median(ms[0]);
        for (int c = 0; c < array.length; c++) {
            int k = c == 0 ? 0 : ks.get(c - 1);
            double med = Timing.median(ms[c]);
            Map<String, Object> line = fields(array[c].name());
            line.put("k", k);
            line.put("ms_per_step", round(med));
            line.put("ratio_to_plain", round(med / plainMs));
            line.put("target_ratio", 1 + k);
            line.put("within_target", med / plainMs <= 1 + k);
            out.println(JsonLine.of(line));
        }
        if (tangentExamples > 0) {
            INDArray digits = Nd4j.rand(rng, tangentExamples, nIn).castTo(DataType.FLOAT);
            List<INDArray> w = new ArrayList<>();
            List<INDArray> b = new ArrayList<>();
            List<IActivation> a = new ArrayList<>();
            for (int l = 0; l < plain.getnLayers() - 1; l++) {
                w.add(plain.getLayer(l).getParam("W"));
                b.add(plain.getLayer(l).getParam("b"));
                a.add(Activation.SIGMOID.getActivationFunction());
            }
            for (int k : ks) {
                ManifoldTangents mt = new ManifoldTangents(w, b, a, TangentOptions.of(k).withIterations(iterations));
                mt.compute(digits.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, Math.min(50, tangentExamples)),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()));   // warm-up
                long start = System.nanoTime();
                mt.compute(digits);
                double s = (System.nanoTime() - start) / 1e9;
                Map<String, Object> line = fields("tangents-k" + k);
                line.put("k", k);
                line.put("subspace", mt.subspaceSize());
                line.put("iterations", iterations);
                line.put("examples", tangentExamples);
                line.put("seconds_per_1000", round(s * 1000.0 / tangentExamples));
                out.println(JsonLine.of(line));
            }
        }
        return 0;
    }

    private Map<String, Object> fields(String name) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("case", name);
        line.put("nIn", nIn);
        line.put("hidden", hidden.toString());
        line.put("classes", classes);
        line.put("batch", batch);
        return line;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    private static BenchCase fitCase(String name, MultiLayerNetwork net, DataSet ds, int k) {
        return new BenchCase() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void step() {
                net.fit(ds);
            }

            @Override
            public double usefulFlops() {
                return 0;
            }
        };
    }

    private NeuralNetConfiguration.ListBuilder base() {
        return new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).updater(new Sgd(0.01))
                .weightInit(WeightInit.XAVIER).list();
    }

    private MultiLayerNetwork plainNetwork() {
        var list = base();
        long in = nIn;
        for (int h : hidden) {
            list.layer(new DenseLayer.Builder().nIn(in).nOut(h).activation(Activation.SIGMOID).build());
            in = h;
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(classes).activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private MultiLayerNetwork tangentNetwork(int k) {
        var list = base();
        long in = nIn;
        for (int h : hidden) {
            list.layer(new TangentPropDenseLayer.Builder().nIn(in).nOut(h).activation(Activation.SIGMOID).tangents(k).build());
            in = h;
        }
        list.layer(new TangentPropOutputLayer.Builder().nIn(in).nOut(classes).tangents(k).beta(0.1).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }
}

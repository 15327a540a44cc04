package io.github.cae4j.bench;

import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.layers.DecoderOutputLayer;
import io.github.cae4j.losses.ContractiveLossFunction;
import io.github.cae4j.training.NonFiniteScoreGuard;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * What {@link NonFiniteScoreGuard} costs a training step: one CAE (float, Adam) per variant (no guard,
 * the library's guard checking every 10 steps and every step, and the guard of before issue 17,
 * {@link PreviousGuard}), stepped in interleaved rounds so that machine load hits every variant alike.
 * One JSON line per variant, with its ratio to the unguarded step.
 *
 * <pre>
 *   mvn -q -B -f benchmarks/pom.xml -Djavacpp.platform=linux-x86_64 compile exec:java \
 *       -Dexec.mainClass=io.github.cae4j.bench.GuardBench -Dexec.args="--batch 100"
 * </pre>
 */
@Command(name = "guard-bench", mixinStandardHelpOptions = true,
        description = "Training-step cost of NonFiniteScoreGuard against no guard; one JSON line per variant.")
public final class GuardBench implements Callable<Integer> {

    @Option(names = "--nin", defaultValue = "784", description = "Input size (default: ${DEFAULT-VALUE}).")
    int nIn;

    @Option(names = "--hidden", defaultValue = "1000", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--batch", defaultValue = "100", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seconds", defaultValue = "1.0", description = "Seconds per variant per round (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--rounds", defaultValue = "7", description = "Interleaved rounds; medians are reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "10", description = "Warm-up steps per variant (default: ${DEFAULT-VALUE}).")
    int warmup;

    private PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GuardBench()).execute(args));
    }

    GuardBench output(PrintStream stream) {
        this.out = stream;
        return this;
    }

    @Override
    public Integer call() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, nIn);
        DataSet data = new DataSet(x, x);
        Map<String, Supplier<TrainingListener>> variants = new LinkedHashMap<>();
        variants.put("unguarded", () -> null);
        variants.put("guard-every-10", () -> new NonFiniteScoreGuard(10));
        variants.put("guard-every-1", () -> new NonFiniteScoreGuard(1));
        variants.put("previous-guard", PreviousGuard::new);
        BenchCase[] cases = variants.entrySet().stream().map(v -> fitCase(v.getKey(), v.getValue().get(), data)).toArray(BenchCase[]::new);

        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("case", "machine");
        machine.put("cpu", Machine.cpuModel());
        machine.put("blas", Machine.blas());
        machine.put("loadavg", Machine.loadAverage());
        machine.put("omp_wait_policy", String.valueOf(System.getenv("OMP_WAIT_POLICY")));
        out.println(JsonLine.of(machine));

        double[][] ms = Timing.interleaved(cases, rounds, seconds, warmup);
        double unguarded = Timing.median(ms[0]);
        List<String> names = List.copyOf(variants.keySet());
        for (int v = 0; v < cases.length; v++) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("case", names.get(v));
            line.put("nin", nIn);
            line.put("hidden", hidden);
            line.put("batch", batch);
            line.put("ms_per_step", Math.round(Timing.median(ms[v]) * 1000) / 1000.0);
            line.put("x_unguarded", Math.round(Timing.median(ms[v]) / unguarded * 1000) / 1000.0);
            line.put("loadavg", Machine.loadAverage());
            out.println(JsonLine.of(line));
        }
        return 0;
    }

    private BenchCase fitCase(String name, TrainingListener guard, DataSet data) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.FLOAT).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(nIn).nOut(hidden).activation(Activation.SIGMOID).lambda(0.1).build())
                .layer(new DecoderOutputLayer.Builder(new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY))
                        .nIn(hidden).nOut(nIn).activation(Activation.SIGMOID).build())
                .build());
        net.init();
        if (guard != null) {
            net.setListeners(guard);
        }
        return new BenchCase() {
            public String name() {
                return name;
            }

            public void step() {
                net.fit(data);
            }

            public double usefulFlops() {
                return 0;
            }
        };
    }
}

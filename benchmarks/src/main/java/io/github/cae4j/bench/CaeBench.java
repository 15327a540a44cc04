package io.github.cae4j.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Training-step benchmark of a sigmoid d-h-d autoencoder: the contractive layer against DL4J's
 * DenseLayer, DL4J's AutoEncoder, a SameDiff CAE with an explicit Jacobian, and the forward-only
 * penalty helper, on the same data in interleaved rounds; prints one JSON line per case.
 *
 * <pre>
 *   benchmarks/run-bench.sh                                  # the full grid
 *   benchmarks/run-bench.sh --hidden 1000 --batch 128        # the headline size
 *   benchmarks/run-bench.sh --heap-steps 10000               # flat-heap check
 * </pre>
 */
@Command(name = "cae-bench", mixinStandardHelpOptions = true,
        description = "Benchmarks a contractive autoencoder training step against the alternatives; one JSON line per case.")
public final class CaeBench implements Callable<Integer> {

    @Option(names = "--nin", defaultValue = "784", description = "Input size d (default: ${DEFAULT-VALUE}).")
    int nIn;

    @Option(names = "--hidden", split = ",", defaultValue = "256,1000,4096", description = "Hidden sizes h (default: ${DEFAULT-VALUE}).")
    List<Integer> hidden;

    @Option(names = "--batch", split = ",", defaultValue = "32,128,512", description = "Minibatch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--cases", split = ",", defaultValue = "cae,plain,cae-h,cae-outputlayer,plain-outputlayer,cae-tied,cae-h-tied,dl4j-autoencoder,autodiff-jacobian,penalty-forward",
            description = "Cases to run (default: ${DEFAULT-VALUE}).")
    List<String> cases;

    @Option(names = "--copies", defaultValue = "4", description = "Noisy copies per example of the cae-h cases (default: ${DEFAULT-VALUE}).")
    int copies;

    @Option(names = "--clock", defaultValue = "wall",
            description = "wall (default) or cpu: process CPU time per step, for a shared machine; use with --threads 1.")
    String clock;

    @Option(names = "--seconds", defaultValue = "1.0", description = "Seconds per case per round (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--rounds", defaultValue = "5", description = "Interleaved rounds; medians are reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "3", description = "Warm-up steps per case (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--threads", defaultValue = "0", description = "ND4J threads (0: ND4J's default; OMP_NUM_THREADS also applies).")
    int threads;

    @Option(names = "--elementwise-threshold", defaultValue = "-1",
            description = "Nd4j.getEnvironment().setElementwiseThreshold (-1: leave as the library/ND4J set it).")
    int elementwiseThreshold;

    @Option(names = "--tad-threshold", defaultValue = "-1",
            description = "Nd4j.getEnvironment().setTadThreshold (-1: leave as the library/ND4J set it).")
    int tadThreshold;

    @Option(names = "--twin-thresholds", defaultValue = "",
            description = "ELEMENTWISE:TAD. Each case also runs as a twin, interleaved in the same rounds, with ND4J's element-wise"
                    + " and TAD thresholds set to these values for its steps (an A/B of the small-op lever in one process).")
    String twinThresholds;

    @Option(names = "--heap-steps", defaultValue = "0", description = "Instead of timing, run this many steps of each --heap-cases case and check the heap stays flat.")
    int heapSteps;

    @Option(names = "--heap-cases", split = ",", defaultValue = "cae,plain,cae-tied",
            description = "Cases the heap check runs, one after another (default: ${DEFAULT-VALUE}); plain shows DL4J's own share.")
    List<String> heapCases;

    @Option(names = "--heap-limit-mb", defaultValue = "16", description = "Allowed heap growth for --heap-steps (default: ${DEFAULT-VALUE}).")
    double heapLimitMb;

    private PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CaeBench()).execute(args));
    }

    /** Where the JSON lines go (tests capture them). */
    CaeBench output(PrintStream stream) {
        this.out = stream;
        return this;
    }

    @Override
    public Integer call() {
        if (threads > 0) {
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
        }
        if (elementwiseThreshold >= 0) {
            Nd4j.getEnvironment().setElementwiseThreshold(elementwiseThreshold);
        }
        if (tadThreshold >= 0) {
            Nd4j.getEnvironment().setTadThreshold(tadThreshold);
        }
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("case", "machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("cpu", Machine.cpuModel());
        machine.put("blas", Machine.blas());
        machine.put("nd4j_threads", Nd4j.getEnvironment().maxThreads());
        machine.put("elementwise_threshold", Nd4j.getEnvironment().elementwiseThreshold());
        machine.put("tad_threshold", Nd4j.getEnvironment().tadThreshold());
        machine.put("omp_num_threads", String.valueOf(System.getenv("OMP_NUM_THREADS")));
        machine.put("omp_wait_policy", String.valueOf(System.getenv("OMP_WAIT_POLICY")));
        machine.put("backend", Nd4j.getExecutioner().getClass().getSimpleName());
        machine.put("java", System.getProperty("java.version"));
        machine.put("loadavg", Machine.loadAverage());
        machine.put("clock", clock);
        out.println(JsonLine.of(machine));
        if (heapSteps > 0) {
            return heapCheck();
        }
        for (int h : hidden) {
            for (int b : batches) {
                runShape(new Shape(nIn, h, b));
            }
        }
        return 0;
    }

    private int heapCheck() {
        Shape s = new Shape(nIn, hidden.get(0), batches.get(0));
        INDArray x = data(s);
        int failed = 0;
        for (String name : heapCases) {
            BenchCase c = benchCase(name, s, x);
            if (c == null) {
                continue;
            }
            double[] mb = HeapCheck.run(c, heapSteps);
            Map<String, Object> line = shapeFields("heap", s);
            line.put("heap_case", c.name());
            line.put("steps", heapSteps);
            line.put("heap_before_mb", round(mb[0]));
            line.put("heap_after_mb", round(mb[1]));
            line.put("growth_mb", round(mb[1] - mb[0]));
            boolean flat = mb[1] - mb[0] <= heapLimitMb;
            line.put("flat", flat);
            out.println(JsonLine.of(line));
            failed += flat ? 0 : 1;
        }
        return failed == 0 ? 0 : 1;
    }

    /** The named case at this shape, or null (after printing why) when it cannot run there. */
    private BenchCase benchCase(String name, Shape s, INDArray x) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "cae":
                return AutoencoderCases.cae(s, x);
            case "plain":
                return AutoencoderCases.plain(s, x);
            case "cae-h":
                return AutoencoderCases.caeH(s, x, copies);
            case "cae-h-tied":
                return AutoencoderCases.caeHTied(s, x, copies);
            case "cae-outputlayer":
                return AutoencoderCases.caeWithOutputLayer(s, x);
            case "plain-outputlayer":
                return AutoencoderCases.plainWithOutputLayer(s, x);
            case "cae-tied":
                return AutoencoderCases.caeTied(s, x);
            case "dl4j-autoencoder":
                return AutoencoderCases.dl4jAutoencoder(s, x);
            case "penalty-forward":
                return AutoencoderCases.penaltyForward(s, x);
            case "autodiff-jacobian":
                if (SameDiffJacobianCae.fits(s)) {
                    return new SameDiffJacobianCae(s, x);
                }
                Map<String, Object> skipped = shapeFields("autodiff-jacobian", s);
                skipped.put("skipped", "the [batch, h, d] Jacobian would hold " + (long) s.batch() * s.nOut() * s.nIn()
                        + " floats, over the " + SameDiffJacobianCae.MAX_JACOBIAN_ELEMENTS + " limit");
                out.println(JsonLine.of(skipped));
                return null;
            default:
                throw new IllegalArgumentException("unknown case '" + name
                        + "'; cases are cae, plain, cae-h, cae-outputlayer, plain-outputlayer, cae-tied, cae-h-tied, dl4j-autoencoder,"
                        + " autodiff-jacobian, penalty-forward");
        }
    }

    private void runShape(Shape s) {
        INDArray x = data(s);
        List<BenchCase> selected = new ArrayList<>();
        selected.add(new GemmRate(s));
        for (String name : cases) {
            BenchCase c = benchCase(name, s, x);
            if (c != null) {
                selected.add(c);
                if (!twinThresholds.isEmpty()) {
                    selected.add(ThresholdTwin.of(c, twinThresholds));
                }
            }
        }
        BenchCase[] array = selected.toArray(new BenchCase[0]);
        String loadBefore = Machine.loadAverage();
        double[][] ms = Timing.interleaved(array, rounds, seconds, warmup, timingClock());
        double[][] cpuMs = Timing.lastCpuMs;
        String loadAfter = Machine.loadAverage();
        double gemmMs = Timing.median(ms[0]);
        double gemmGflops = array[0].usefulFlops() / gemmMs / 1e6;
        Map<String, Double> medians = new LinkedHashMap<>();
        for (int k = 0; k < array.length; k++) {
            medians.put(array[k].name(), Timing.median(ms[k]));
        }
        Double plainMs = medians.get("plain");
        for (int k = 0; k < array.length; k++) {
            double median = Timing.median(ms[k]);
            Map<String, Object> line = shapeFields(array[k].name(), s);
            line.put("examples_per_s", round(s.batch() / median * 1000));
            line.put("ms_per_step", round(median));
            line.put("ms_per_step_rounds", roundAll(ms[k]));
            line.put("ms_per_step_min", round(java.util.Arrays.stream(ms[k]).min().orElse(Double.NaN)));
            line.put("cpu_ms_per_step", round(Timing.median(cpuMs[k])));
            double gflops = array[k].usefulFlops() / median / 1e6;
            line.put("gflops", round(gflops));
            line.put("flop_efficiency", round(gflops / gemmGflops));
            line.put("gemm_gflops", round(gemmGflops));
            if (plainMs != null && !array[k].name().equals("gemm")) {
                line.put("x_plain", round(median / plainMs));
            }
            line.put("cpu", Machine.cpuModel());
            line.put("loadavg", loadBefore + " -> " + loadAfter);
            if (array[k].name().startsWith("cae-h")) {
                line.put("copies", copies);
                // against the same step without the term: cae for cae-h, cae-tied for cae-h-tied
                Double caeMs = medians.get(array[k].name().replace("cae-h", "cae"));
                if (caeMs != null) {
                    line.put("x_cae", round(median / caeMs));
                }
            }
            out.println(JsonLine.of(line));
        }
    }

    private java.util.function.LongSupplier timingClock() {
        switch (clock.trim().toLowerCase(Locale.ROOT)) {
            case "wall":
                return Timing.WALL;
            case "cpu":
                return Timing.PROCESS_CPU;
            default:
                throw new IllegalArgumentException("--clock must be wall or cpu, got '" + clock + "'");
        }
    }

    private static INDArray data(Shape s) {
        Nd4j.getRandom().setSeed(42);
        return Nd4j.rand(DataType.FLOAT, s.batch(), s.nIn());
    }

    private static Map<String, Object> shapeFields(String name, Shape s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("case", name);
        m.put("nIn", s.nIn());
        m.put("nOut", s.nOut());
        m.put("batch", s.batch());
        return m;
    }

    /** Five significant digits: enough for any comparison, short enough to read. */
    private static double round(double v) {
        return Double.isFinite(v) ? new java.math.BigDecimal(v).round(new java.math.MathContext(5)).doubleValue() : v;
    }

    private static double[] roundAll(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = round(v[i]);
        }
        return r;
    }
}

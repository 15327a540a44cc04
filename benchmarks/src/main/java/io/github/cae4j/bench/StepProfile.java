package io.github.cae4j.bench;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * Where one training step's time goes (issue 18): per phase (DL4J's listener callbacks split
 * forward, backward, score and updater) and per native op (ND4J's op profiler: op name, calls, time;
 * an op listener: the calling method and the bytes each op reads and writes). Bench-only: profiling
 * slows every op, so phase times are taken in a separate, unprofiled pass.
 *
 * <pre>
 *   java ... io.github.cae4j.bench.StepProfile --case cae --hidden 1000 --batch 128 --steps 200
 *   java ... io.github.cae4j.bench.StepProfile --op-costs --steps 200      # each op of the step alone
 * </pre>
 */
@Command(name = "step-profile", mixinStandardHelpOptions = true, description = "Per-phase and per-op breakdown of one training step.")
public final class StepProfile implements Callable<Integer> {

    @Option(names = "--case", defaultValue = "cae", description = "cae, plain, cae-tied or cae-output (default: ${DEFAULT-VALUE}).")
    String caseName;
    @Option(names = "--nin", defaultValue = "784")
    int nIn;
    @Option(names = "--hidden", defaultValue = "1000")
    int hidden;
    @Option(names = "--batch", defaultValue = "128")
    int batch;
    @Option(names = "--steps", defaultValue = "200", description = "Steps per measured pass (default: ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--elementwise-threshold", defaultValue = "-1", description = "Nd4j.getEnvironment().setElementwiseThreshold (-1: as is).")
    int elementwiseThreshold;
    @Option(names = "--tad-threshold", defaultValue = "-1", description = "Nd4j.getEnvironment().setTadThreshold (-1: as is).")
    int tadThreshold;
    @Option(names = "--op-costs", description = "Instead: time each native op of the step on its own at the step's shapes.")
    boolean opCosts;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StepProfile()).execute(args));
    }

    @Override
    public Integer call() {
        if (elementwiseThreshold >= 0) {
            Nd4j.getEnvironment().setElementwiseThreshold(elementwiseThreshold);
        }
        if (tadThreshold >= 0) {
            Nd4j.getEnvironment().setTadThreshold(tadThreshold);
        }
        if (opCosts) {
            System.out.println("cpu: " + Machine.cpuModel() + ", blas: " + Machine.blas() + ", load: " + Machine.loadAverage()
                    + ", OMP_WAIT_POLICY=" + System.getenv("OMP_WAIT_POLICY") + ", elementwise threshold "
                    + Nd4j.getEnvironment().elementwiseThreshold());
            OpCosts.print(nIn, hidden, batch, steps);
            System.out.println("load after: " + Machine.loadAverage());
            return 0;
        }
        Shape s = new Shape(nIn, hidden, batch);
        Nd4j.getRandom().setSeed(42);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, nIn);
        AutoencoderCases.Built built = AutoencoderCases.build(caseName, s, x);
        for (int i = 0; i < 20; i++) {
            built.step().step();
        }
        System.out.println("cpu: " + Machine.cpuModel() + ", blas: " + Machine.blas() + ", load: " + Machine.loadAverage()
                + ", OMP_WAIT_POLICY=" + System.getenv("OMP_WAIT_POLICY"));
        phases(built);
        ops(built);
        System.out.println("load after: " + Machine.loadAverage());
        return 0;
    }

    /** Listener timestamps: forward, backward (with the loss), gradient hand-off, updater + bookkeeping. */
    private void phases(AutoencoderCases.Built built) {
        MultiLayerNetwork net = built.net();
        long[] t = new long[1];
        double[] sum = new double[4];
        long[] stepStart = new long[1];
        net.addListeners(new BaseTrainingListener() {
            @Override
            public void onForwardPass(Model model, List<INDArray> activations) {
                sum[0] += (System.nanoTime() - stepStart[0]) / 1e6;
                t[0] = System.nanoTime();
            }

            @Override
            public void onForwardPass(Model model, Map<String, INDArray> activations) {
                onForwardPass(model, (List<INDArray>) null);
            }

            @Override
            public void onBackwardPass(Model model) {
                sum[1] += (System.nanoTime() - t[0]) / 1e6;
                t[0] = System.nanoTime();
            }

            @Override
            public void onGradientCalculation(Model model) {
                sum[2] += (System.nanoTime() - t[0]) / 1e6;
                t[0] = System.nanoTime();
            }

            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                sum[3] += (System.nanoTime() - t[0]) / 1e6;
            }
        });
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            stepStart[0] = System.nanoTime();
            built.step().step();
        }
        double total = (System.nanoTime() - start) / 1e6 / steps;
        System.out.printf("phases (ms per step, unprofiled, %d steps): total %.2f | forward %.2f | backward+loss %.2f | "
                        + "score/gradient hand-off %.2f | updater+bookkeeping %.2f%n",
                steps, total, sum[0] / steps, sum[1] / steps, sum[2] / steps, sum[3] / steps);
        net.setListeners();
    }

    /** Per native op: calls per step, time per step (ND4J's profiler), bytes per step, grouped by caller. */
    private void ops(AutoencoderCases.Built built) {
        Map<String, long[]> byCaller = new TreeMap<>();
        OpProfiler.OpProfilerListener listener = op -> {
            // a result outside every workspace is a fresh allocation (malloc, page faults, a deallocator entry)
            boolean detached = op.z() != null && !op.z().isAttached() && op.z().length() > 1;
            String key = op.opName() + " " + shapes(op) + (detached ? " [z outside workspaces]" : "") + " <- " + caller();
            long[] v = byCaller.computeIfAbsent(key, k -> new long[2]);
            v[0]++;
            v[1] += bytes(op.x()) + bytes(op.y()) + bytes(op.z());
        };
        OpExecutioner ex = Nd4j.getExecutioner();
        ex.setProfilingConfig(ProfilerConfig.builder().checkElapsedTime(true).build());
        OpProfiler.getInstance().reset();
        OpProfiler.getInstance().addListener(listener);
        for (int i = 0; i < steps; i++) {
            built.step().step();
        }
        OpProfiler.getInstance().clearListener(listener);
        ex.setProfilingConfig(ProfilerConfig.builder().build());
        System.out.println("ops per step (legacy ops seen by the listener; name [shapes] <- caller: calls, MB moved):");
        long calls = 0;
        for (Map.Entry<String, long[]> e : byCaller.entrySet()) {
            calls += e.getValue()[0];
            System.out.printf("  %-110s %5.1f calls %8.3f MB%n", e.getKey(), e.getValue()[0] / (double) steps,
                    e.getValue()[1] / 1e6 / steps);
        }
        System.out.printf("  total legacy ops per step: %.1f%n", calls / (double) steps);
        OpProfiler.getInstance().printOutDashboard();
    }

    private static String shapes(Op op) {
        return dims(op.x()) + (op.y() == null ? "" : "," + dims(op.y())) + (op.z() == null || op.z() == op.x() ? "" : "->" + dims(op.z()));
    }

    private static String dims(INDArray a) {
        return a == null ? "-" : java.util.Arrays.toString(a.shape()).replace(" ", "") + a.ordering();
    }

    private static long bytes(INDArray a) {
        return a == null ? 0 : a.length() * a.dataType().width();
    }

    /** The first frame outside ND4J: which cae4j or DL4J method issued the op. */
    private static String caller() {
        for (StackTraceElement e : new Throwable().getStackTrace()) {
            String c = e.getClassName();
            if (!c.startsWith("org.nd4j") && !c.startsWith("io.github.cae4j.bench") && !c.startsWith("java.")) {
                return c.substring(c.lastIndexOf('.') + 1) + "." + e.getMethodName() + ":" + e.getLineNumber();
            }
        }
        return "?";
    }
}

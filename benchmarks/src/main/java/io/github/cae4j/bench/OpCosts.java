package io.github.cae4j.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.reduce.floating.SquaredNorm;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The time of each native op of the CAE step on its own, at the step's shapes ({@code --op-costs} of
 * {@link StepProfile}): what one op costs when nothing else runs, so that per-op overhead (the thread
 * hand-off, the Java-side op set-up) can be told apart from the bytes an op moves. Ops are grouped by
 * the phase that issues them in the step (names as ND4J's profiler reports them). Each op runs in a
 * workspace scope, as in DL4J's {@code fit}; the "allocation" rows show what a fresh array outside
 * workspaces would cost instead.
 */
final class OpCosts {

    private record Op(String phase, String name, double mb, Runnable run) {
    }

    private OpCosts() {
    }

    static void print(int nIn, int nOut, int batch, int reps) {
        DataType f = DataType.FLOAT;
        INDArray x = Nd4j.rand(f, batch, nIn);
        INDArray W = Nd4j.rand(f, nIn, nOut).subi(0.5);
        INDArray b = Nd4j.rand(f, nOut);
        INDArray V = Nd4j.rand(f, nOut, nIn).subi(0.5);
        INDArray h = Nd4j.rand(f, batch, nOut);
        INDArray h2 = h.dup();
        INDArray zOut = Nd4j.rand(f, batch, nIn);
        INDArray eps = Nd4j.rand(f, batch, nOut);
        INDArray colH = Nd4j.rand(f, nOut);
        // in-place multiplies below use ones, so that repeated runs keep the values (and never reach denormals)
        INDArray ones = Nd4j.ones(f, batch, nOut);
        INDArray colOnes = Nd4j.ones(f, nOut);
        INDArray gW = Nd4j.create(f, new long[]{nIn, nOut}, 'f');
        INDArray gV = Nd4j.create(f, new long[]{nOut, nIn}, 'f');
        INDArray zT = Nd4j.create(f, new long[]{nOut, batch}, 'f');
        INDArray xhT = Nd4j.create(f, new long[]{nIn, batch}, 'f');
        INDArray epsIn = Nd4j.create(f, new long[]{nIn, batch}, 'f');
        long nParams = (long) nIn * nOut * 2 + nOut + 2L * nIn;
        INDArray flat = Nd4j.rand(f, 1, nParams);
        INDArray params = Nd4j.rand(f, 1, nParams);
        double mbH = batch * (double) nOut * 4 / 1e6;
        double mbX = batch * (double) nIn * 4 / 1e6;
        double mbW = nIn * (double) nOut * 4 / 1e6;
        double mbP = nParams * 4 / 1e6;
        List<Op> ops = new ArrayList<>();
        // encoder forward
        ops.add(new Op("encoder", "matmul x·W", mbX + mbW + mbH, () -> Nd4j.gemm(W, x, zT, true, true, 1.0, 0.0)));
        ops.add(new Op("encoder", "broadcastadd +b", 2 * mbH, () -> h2.addiRowVector(b)));
        ops.add(new Op("encoder", "sigmoid (in place)", 2 * mbH, () -> Transforms.sigmoid(h2, false)));
        ops.add(new Op("encoder", "reduce_sum (NaN scan of x)", mbX, () -> x.sumNumber()));
        // penalty, forward part
        ops.add(new Op("penalty", "timesoneminus f'", 2 * mbH, () -> Transforms.timesOneMinus(h, true)));
        ops.add(new Op("penalty", "reduce_sqnorm s over W", mbW, () -> Nd4j.getExecutioner().exec(new SquaredNorm(W, 0))));
        ops.add(new Op("penalty", "reduce_sqnorm of f' columns", mbH, () -> Nd4j.getExecutioner().exec(new SquaredNorm(h, 0))));
        ops.add(new Op("penalty", "dot (batch penalty)", 0.008, () -> Nd4j.getExecutioner().exec(new Dot(colH, colH))));
        ops.add(new Op("penalty", "mul_scalar f'' (1 of 3)", 2 * mbH, () -> h.mul(-2.0)));
        ops.add(new Op("penalty", "add_scalar f'' (2 of 3, in place)", 2 * mbH, () -> h2.addi(1.0)));
        ops.add(new Op("penalty", "multiply f'' (3 of 3, in place)", 3 * mbH, () -> h2.muli(ones)));
        // penalty, backward part
        ops.add(new Op("penalty", "broadcastmul d2·2λs (in place)", 2 * mbH, () -> h2.muliRowVector(colOnes)));
        ops.add(new Op("penalty", "add +ε (in place)", 3 * mbH, () -> h2.addi(eps)));
        ops.add(new Op("penalty", "multiply δ = d1·(...) (in place)", 3 * mbH, () -> h2.muli(ones)));
        ops.add(new Op("penalty", "broadcastmul direct W gradient", 2 * mbW, () -> Nd4j.getExecutioner().exec(new BroadcastMulOp(W, colH, gW, 1))));
        ops.add(new Op("penalty", "  same, as row-major Wᵀ along dim 0", 2 * mbW,
                () -> Nd4j.getExecutioner().exec(new BroadcastMulOp(W.transpose(), colH, gW.transpose(), 0))));
        ops.add(new Op("penalty", "  same, assign W then mulRowVector", 4 * mbW, () -> gW.assign(W).muliRowVector(colH)));
        ops.add(new Op("penalty", "  same, custom multiply with a [1, h] broadcast", 2 * mbW, () -> Nd4j.exec(
                new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp(W, colH.reshape(1, nOut), gW))));
        ops.add(new Op("penalty", "  same, custom multiply, row-major Wᵀ by [h, 1]", 2 * mbW, () -> Nd4j.exec(
                new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp(W.transpose(), colH.reshape(nOut, 1), gW.transpose()))));
        ops.add(new Op("penalty", "  s as dot(W, W) along dim 0", mbW, () -> Nd4j.getExecutioner().exec(new Dot(W, W, 0))));
        ops.add(new Op("penalty", "  s as W⊙W then gemv with ones", 3 * mbW, () -> {
            INDArray sq = W.mul(W);
            Nd4j.gemm(sq, Nd4j.ones(f, nIn, 1), Nd4j.createUninitialized(f, new long[]{nOut, 1}, 'f'), true, false, 1.0, 0.0);
        }));
        ops.add(new Op("penalty", "  reduce_sqnorm s as row-major Wᵀ along dim 1", mbW,
                () -> Nd4j.getExecutioner().exec(new SquaredNorm(W.transpose(), 1))));
        // decoder, loss
        ops.add(new Op("decoder", "matmul h·V", mbH + mbW + mbX, () -> Nd4j.gemm(V, h, xhT, true, true, 1.0, 0.0)));
        ops.add(new Op("decoder", "broadcastadd +c", 2 * mbX, () -> {
            INDArray c = Nd4j.zeros(f, nIn);
            zOut.addiRowVector(c);
            Reference.reachabilityFence(c);   // ND4J's broadcasts may free a dead operand mid-op (docs/robustness.md)
        }));
        ops.add(new Op("loss", "reduce_min labels", mbX, () -> x.minNumber()));
        ops.add(new Op("loss", "reduce_max labels", mbX, () -> x.maxNumber()));
        ops.add(new Op("loss", "abs (copy)", 2 * mbX, () -> Transforms.abs(zOut, true)));
        ops.add(new Op("loss", "neg (in place)", 2 * mbX, () -> zOut.negi()));
        ops.add(new Op("loss", "softplus (in place)", 2 * mbX, () -> Transforms.softPlus(zOut, false)));
        ops.add(new Op("loss", "relu (copy)", 2 * mbX, () -> Transforms.relu(zOut, true)));
        ops.add(new Op("loss", "multiply y·z (new)", 3 * mbX, () -> x.mul(zOut)));
        ops.add(new Op("loss", "subtract (in place)", 3 * mbX, () -> zOut.subi(x)));
        ops.add(new Op("loss", "add (in place)", 3 * mbX, () -> zOut.addi(x)));
        ops.add(new Op("loss", "reduce_sum score", mbX, () -> zOut.sumNumber()));
        ops.add(new Op("loss", "sigmoid (in place)", 2 * mbX, () -> Transforms.sigmoid(zOut, false)));
        // decoder and encoder backward
        ops.add(new Op("decoder", "matmul hᵀ·δ2 (V gradient)", mbH + mbX + mbW, () -> Nd4j.gemm(h, zOut, gV, true, false, 1.0, 0.0)));
        ops.add(new Op("decoder", "reduce_sum c gradient", mbX, () -> zOut.sum(0)));
        ops.add(new Op("decoder", "matmul δ2·Vᵀ (epsilon)", mbX + mbW + mbH, () -> Nd4j.gemm(V, zOut, zT, false, true, 1.0, 0.0)));
        ops.add(new Op("encoder", "matmul xᵀ·δ (+= W gradient)", mbX + mbH + 2 * mbW, () -> Nd4j.gemm(x, eps, gW, true, false, 1.0, 1.0)));
        ops.add(new Op("encoder", "reduce_sum b gradient", mbH, () -> eps.sum(0)));
        ops.add(new Op("DL4J", "matmul δ·Wᵀ (input gradient, discarded by fit)", mbH + mbW + mbX, () -> Nd4j.gemm(W, eps, epsIn, false, true, 1.0, 0.0)));
        // DL4J's updater
        ops.add(new Op("DL4J updater", "div_scalar by batch (all params)", 2 * mbP, () -> flat.divi(batch)));
        ops.add(new Op("DL4J updater", "SGD: mul_scalar lr (all params)", 2 * mbP, () -> flat.muli(0.999)));
        ops.add(new Op("DL4J updater", "subtract from params (all params)", 3 * mbP, () -> params.subi(flat)));

        // The same allocating ops with their result in a workspace (as in DL4J's fit, which runs layers inside
        // workspaces) and into a preallocated array: what the allocation itself costs.
        org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration wsConf = org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration.builder()
                .initialSize(64L << 20).policyAllocation(org.nd4j.linalg.api.memory.enums.AllocationPolicy.STRICT)
                .policyLearning(org.nd4j.linalg.api.memory.enums.LearningPolicy.NONE).build();
        INDArray out = h.ulike();
        ops.add(new Op("allocation", "timesoneminus, new array in a workspace", 2 * mbH, () -> {
            try (var ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(wsConf, "OP_COSTS")) {
                Transforms.timesOneMinus(h, true);
            }
        }));
        ops.add(new Op("allocation", "timesoneminus into a preallocated array", 2 * mbH,
                () -> Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.transforms.same.TimesOneMinus(h, out))));
        ops.add(new Op("allocation", "mul_scalar, new array in a workspace", 2 * mbH, () -> {
            try (var ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(wsConf, "OP_COSTS")) {
                h.mul(-2.0);
            }
        }));
        ops.add(new Op("allocation", "timesoneminus, new array outside workspaces", 2 * mbH, () -> {
            try (var ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                Transforms.timesOneMinus(h, true);
            }
        }));

        System.out.printf(Locale.ROOT, "per-op cost at d=%d, h=%d, batch %d (%d repetitions each, median and min; MB = bytes read + written)%n",
                nIn, nOut, batch, reps);
        double total = 0;
        for (Op op : ops) {
            double[] us = time(op.run(), reps);
            total += median(us);
            System.out.printf(Locale.ROOT, "  %-13s %-48s %7.3f MB  median %8.1f us  min %8.1f us  (%5.1f GB/s at min)%n",
                    op.phase(), op.name(), op.mb(), median(us), min(us), op.mb() / 1e3 / (min(us) / 1e6));
        }
        System.out.printf(Locale.ROOT, "  sum of medians: %.2f ms%n", total / 1000);
    }

    /** Each repetition in a workspace scope, as DL4J's fit runs a layer's ops (results allocated there are cheap). */
    private static double[] time(Runnable r, int reps) {
        org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration conf = org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration.builder()
                .initialSize(64L << 20).policyAllocation(org.nd4j.linalg.api.memory.enums.AllocationPolicy.STRICT)
                .policyLearning(org.nd4j.linalg.api.memory.enums.LearningPolicy.NONE).build();
        for (int i = 0; i < 10; i++) {
            try (var ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(conf, "OP_COSTS_STEP")) {
                r.run();
            }
        }
        double[] us = new double[reps];
        for (int i = 0; i < reps; i++) {
            try (var ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(conf, "OP_COSTS_STEP")) {
                long t = System.nanoTime();
                r.run();
                us[i] = (System.nanoTime() - t) / 1e3;
            }
        }
        return us;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }
}

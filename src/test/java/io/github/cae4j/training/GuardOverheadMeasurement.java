package io.github.cae4j.training;

import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Not a test: measures the guard's share of a training step of a 784-1000 CAE (float, Adam), guarded and
 * unguarded, one network per variant stepped round-robin in one JVM, so machine load hits every variant
 * alike; and the guard's primitives (sum, NaN/Inf count, copy) on arrays of the same size, timed alone.
 * Run with {@code mvn test -Dtest=GuardOverheadMeasurement -Dcae4j.measure=true [-Dcae4j.batch=100]}.
 */
@EnabledIfSystemProperty(named = "cae4j.measure", matches = "true")
class GuardOverheadMeasurement {

    @Test
    void measure() {
        int batch = Integer.getInteger("cae4j.batch", 100);
        int rounds = Integer.getInteger("cae4j.rounds", 150);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 784);
        DataSet ds = new DataSet(x, x);
        String[] names = {"unguarded", "guard(10)", "guard(1)", "previous"};
        List<Supplier<TrainingListener>> guards = List.of(() -> null, () -> new NonFiniteScoreGuard(10),
                () -> new NonFiniteScoreGuard(1), PreviousGuardForMeasurement::new);
        // one network per variant, each keeping its guard, stepped round-robin: load changes hit all alike
        List<MultiLayerNetwork> nets = new ArrayList<>();
        List<List<Double>> perStepMs = new ArrayList<>();
        for (int v = 0; v < names.length; v++) {
            MultiLayerNetwork net = cae();
            TrainingListener g = guards.get(v).get();
            if (g != null) {
                net.setListeners(g);
            }
            for (int i = 0; i < 10; i++) {
                net.fit(ds);    // warm-up
            }
            nets.add(net);
            perStepMs.add(new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < names.length; v++) {
                long t0 = System.nanoTime();
                nets.get(v).fit(ds);
                perStepMs.get(v).add((System.nanoTime() - t0) / 1e6);
            }
        }
        MultiLayerNetwork net = nets.get(0);
        // the guard's primitives on arrays of the same sizes, timed alone (ms per call)
        INDArray params = net.params();
        INDArray state = net.getUpdater().getStateViewArray();
        INDArray paramsCopy = params.dup();
        INDArray stateCopy = state.dup();
        List<Double> sums = new ArrayList<>();
        List<Double> counts = new ArrayList<>();
        List<Double> copies = new ArrayList<>();
        for (int r = 0; r < 30; r++) {
            long t0 = System.nanoTime();
            params.sumNumber();
            state.sumNumber();
            long t1 = System.nanoTime();
            Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition(params,
                    org.nd4j.linalg.indexing.conditions.Conditions.isFinite())).getLong(0);
            Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition(state,
                    org.nd4j.linalg.indexing.conditions.Conditions.isFinite())).getLong(0);
            long t2 = System.nanoTime();
            paramsCopy.assign(params);
            stateCopy.assign(state);
            long t3 = System.nanoTime();
            sums.add((t1 - t0) / 1e6);
            counts.add((t2 - t1) / 1e6);
            copies.add((t3 - t2) / 1e6);
        }
        System.out.printf("GUARD-OVERHEAD primitives over params + updater state: sum %.2f ms, NaN/Inf count %.2f ms, copy %.2f ms%n",
                median(sums), median(counts), median(copies));
        double base = median(perStepMs.get(0));
        System.out.printf("GUARD-OVERHEAD batch %d, %d params, %d updater state values, %d steps per variant (round-robin)%n",
                batch, net.numParams(), net.getUpdater().getStateViewArray().length(), rounds);
        for (int v = 0; v < names.length; v++) {
            double m = median(perStepMs.get(v));
            double mean = perStepMs.get(v).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            System.out.printf("GUARD-OVERHEAD %-10s median %.2f ms/step (mean %.2f), median ratio to unguarded %.3f%n",
                    names[v], m, mean, m / base);
        }
    }

    private static MultiLayerNetwork cae() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.FLOAT).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).list()
                .layer(new ContractiveDenseLayer.Builder().nIn(784).nOut(1000).activation(Activation.SIGMOID).lambda(0.1).build())
                .layer(new OutputLayer.Builder(TinyNets.bce()).nIn(1000).nOut(784).activation(Activation.SIGMOID).build())
                .build());
        net.init();
        return net;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}

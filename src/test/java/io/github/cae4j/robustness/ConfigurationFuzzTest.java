package io.github.cae4j.robustness;

import io.github.cae4j.io.ConfigurationJson;
import io.github.cae4j.layers.ContractiveDenseLayer;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.exception.DL4JException;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Many random and mutated configurations and inputs: each must either work or fail with one of the
 * documented exception types ({@link IllegalArgumentException}, DL4J's {@link DL4JException}s such
 * as {@code DL4JInvalidConfigException}/{@code DL4JInvalidInputException}) whose message names what
 * was wrong. Never another exception type, never a hang, never a crash of the JVM.
 */
class ConfigurationFuzzTest {

    private static final String[] NAMED = {"lambda", "nIn", "nOut", "activation", "Activation", "dropOut", "retain probability",
            "corruptionLevel", "gaussianNoise", "weightInit", "optimizationAlgo", "NaN/Inf", "input", "Input", "shape", "JSON", "class", "configuration", "confs", "size"};

    private static final double[] LAMBDAS = {0, 0.1, 1, -1, Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e6};
    private static final long[] SIZES = {3, 5, -1, 0, 7};

    private final List<String> outcomes = new ArrayList<>();

    @Test
    void randomAndMutatedConfigurationsAndInputsWorkOrFailAsDocumented() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Random rng = new Random(20261124);
            for (int i = 0; i < 250; i++) {
                int caseNo = i;
                check("builder case " + i, () -> builderCase(new Random(rng.nextLong()), caseNo));
            }
            String valid = TinyNets.autoencoder(5, 3, Activation.SIGMOID, 0.2).getLayerWiseConfigurations().toJson();
            for (int i = 0; i < 250; i++) {
                String mutated = mutate(valid, new Random(rng.nextLong()));
                check("json case " + i, () -> jsonCase(mutated));
            }
        });
        long worked = outcomes.stream().filter(o -> o.equals("ok")).count();
        assertTrue(worked > 20 && worked < outcomes.size() - 20,
                "the fuzzer should produce both valid and invalid cases, got " + worked + " of " + outcomes.size() + " working");
    }

    private void check(String name, Runnable body) {
        try {
            body.run();
            outcomes.add("ok");
        } catch (IllegalArgumentException | DL4JException e) {
            String m = String.valueOf(e.getMessage());
            for (String word : NAMED) {
                if (m.contains(word)) {
                    outcomes.add("failed: " + e.getClass().getSimpleName());
                    return;
                }
            }
            fail(name + ": " + e.getClass().getName() + " whose message names nothing: " + m, e);
        } catch (Throwable t) {
            fail(name + ": undocumented failure " + t, t);
        }
    }

    private static void builderCase(Random r, int caseNo) {
        Activation[] activations = Activation.values();
        ContractiveDenseLayer.Builder b = new ContractiveDenseLayer.Builder().name("fuzz" + caseNo)
                .nIn(SIZES[r.nextInt(SIZES.length)]).nOut(SIZES[r.nextInt(SIZES.length)])
                .lambda(LAMBDAS[r.nextInt(LAMBDAS.length)])
                .activation(activations[r.nextInt(activations.length)]);
        if (r.nextInt(3) == 0) {
            b.dropOut(r.nextDouble() * 2 - 0.5);
        }
        if (r.nextInt(3) == 0) {
            b.corruptionLevel(r.nextDouble() * 1.4 - 0.2);
        }
        if (r.nextInt(4) == 0) {
            b.gaussianNoise(r.nextDouble() * 0.6 - 0.2);
        }
        ContractiveDenseLayer layer = b.build();
        long hidden = layer.getNOut() > 0 ? layer.getNOut() : 3;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(caseNo).dataType(DataType.FLOAT).list()
                .layer(layer)
                .layer(new OutputLayer.Builder(TinyNets.bce()).nIn(hidden).nOut(layer.getNIn() > 0 ? layer.getNIn() : 5)
                        .activation(Activation.SIGMOID).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        long width = r.nextInt(4) == 0 ? layer.getNIn() + 1 : layer.getNIn();
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, width);
        if (r.nextInt(4) == 0) {
            x.putScalar(r.nextInt(4), r.nextInt((int) width), r.nextBoolean() ? Float.NaN : Float.NEGATIVE_INFINITY);
        }
        net.fit(x, x);
        net.output(x);
    }

    private static void jsonCase(String json) {
        MultiLayerConfiguration conf = ConfigurationJson.fromJson(json, "mutated.json");
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 5);
        net.output(x);
    }

    /** One of: change a number, drop a character, rename a class, swap a value for NaN. */
    private static String mutate(String json, Random r) {
        switch (r.nextInt(5)) {
            case 0: {
                int at = r.nextInt(json.length());
                return json.substring(0, at) + json.substring(at + 1);
            }
            case 1:
                return json.replaceFirst("\"nIn\" : 5", "\"nIn\" : " + (r.nextInt(9) - 3));
            case 2:
                return json.replaceFirst("\"lambda\" : [0-9.eE-]+", "\"lambda\" : " + (r.nextBoolean() ? "-2.5" : "\"NaN\""));
            case 3:
                return json.replaceFirst("ActivationSigmoid", r.nextBoolean() ? "ActivationSoftmax" : "ActivationNope");
            default:
                return json.replaceFirst("\"nOut\" : 3", "\"nOut\" : " + (r.nextInt(5) - 1));
        }
    }
}

package io.github.cae4j.bench;

import io.github.cae4j.layers.ContractiveDenseLayer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps issue 18's profiling tools runnable (tiny sizes, a few steps). Not a measurement. */
class ProfilingToolsSmokeTest {

    private static String captured(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void stepProfileListsPhasesAndTheStepsOps() {
        String out = captured(() -> assertEquals(0, new CommandLine(new StepProfile())
                .execute("--case", "cae", "--nin", "20", "--hidden", "12", "--batch", "8", "--steps", "3")));
        assertTrue(out.contains("phases (ms per step"), out);
        assertTrue(out.contains("ContractivePenalty.squaredColumnSums"), out);   // the penalty's ops, attributed to their caller
        assertTrue(out.contains("total legacy ops per step"), out);
    }

    @Test
    void opCostsTimesEveryOpOfTheStep() {
        String out = captured(() -> assertEquals(0, new CommandLine(new StepProfile())
                .execute("--op-costs", "--nin", "20", "--hidden", "12", "--batch", "8", "--steps", "3")));
        assertTrue(out.contains("direct W gradient") && out.contains("input gradient, discarded by fit") && out.contains("sum of medians"), out);
    }

    @Test
    void versionAbLoadsEachBuildInItsOwnClassLoader() throws Exception {
        String jar = ContractiveDenseLayer.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        String out = captured(() -> {
            try {
                VersionAb.main(new String[]{"a=" + jar + ",b=" + jar, "cae-output,mlp,mtc-k2", "1", "0.01"});
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(out.contains("a: cae4j from") && out.contains("a:cae-output") && out.contains("b:cae-output")
                && out.contains("b:mlp") && out.contains("b:mtc-k2"), out);
    }
}

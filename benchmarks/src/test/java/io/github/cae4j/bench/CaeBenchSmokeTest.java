package io.github.cae4j.bench;

import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the benchmark runnable: a tiny size, every case, one short round. Not a measurement. */
class CaeBenchSmokeTest {

    private static String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CaeBench bench = new CaeBench().output(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int exit = new CommandLine(bench).execute(args);
        assertEquals(0, exit, bytes.toString(StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyCasePrintsOneJsonLineWithAPositiveRate() throws Exception {
        String out = run("--nin", "20", "--hidden", "12", "--batch", "8", "--seconds", "0.05", "--rounds", "2", "--warmup", "1");
        Set<String> cases = new HashSet<>();
        ObjectMapper mapper = new ObjectMapper();
        for (String line : out.strip().split("\n")) {
            JsonNode json = mapper.readTree(line);
            String name = json.get("case").asText();
            cases.add(name);
            if (name.equals("machine")) {
                continue;
            }
            assertEquals(20, json.get("nIn").asInt());
            assertEquals(12, json.get("nOut").asInt());
            assertEquals(8, json.get("batch").asInt());
            double rate = json.get("examples_per_s").asDouble();
            double ms = json.get("ms_per_step").asDouble();
            assertTrue(rate > 0 && Double.isFinite(rate) && ms > 0, line);
            assertEquals(8 / ms * 1000, rate, rate * 0.01, line);
            // every figure carries what it was measured on: CPU, the product rate of that run, the load
            assertEquals(Machine.cpuModel(), json.get("cpu").asText(), line);
            assertTrue(json.get("gemm_gflops").asDouble() > 0, line);
            assertTrue(json.get("loadavg").asText().contains(" -> "), line);
            assertTrue(json.get("ms_per_step_min").asDouble() <= ms && json.get("cpu_ms_per_step").asDouble() >= 0, line);
        }
        assertEquals(Set.of("machine", "gemm", "cae", "plain", "cae-h", "cae-outputlayer", "plain-outputlayer", "cae-tied", "cae-h-tied",
                "dl4j-autoencoder", "autodiff-jacobian", "penalty-forward"), cases);
    }

    @Test
    void cpuClockReportsPositiveTimes() throws Exception {
        String out = run("--nin", "20", "--hidden", "12", "--batch", "8", "--seconds", "0.2", "--rounds", "1", "--warmup", "1",
                "--cases", "cae,cae-h", "--clock", "cpu", "--threads", "1");
        ObjectMapper mapper = new ObjectMapper();
        String[] lines = out.strip().split("\n");
        assertEquals("cpu", mapper.readTree(lines[0]).get("clock").asText());
        for (int i = 1; i < lines.length; i++) {
            JsonNode json = mapper.readTree(lines[i]);
            assertTrue(json.get("ms_per_step").asDouble() >= 0, lines[i]);
            if (json.get("case").asText().equals("cae-h")) {
                assertEquals(4, json.get("copies").asInt());
                assertTrue(json.has("x_cae"), lines[i]);
            }
        }
    }

    @Test
    void twinThresholdsRunEachCaseTwiceAndRestoreTheSettings() throws Exception {
        int elementwise = org.nd4j.linalg.factory.Nd4j.getEnvironment().elementwiseThreshold();
        String out = run("--nin", "20", "--hidden", "12", "--batch", "8", "--seconds", "0.02", "--rounds", "1", "--warmup", "1",
                "--cases", "cae", "--twin-thresholds", "1000000:1000000");
        Set<String> cases = new HashSet<>();
        for (String line : out.strip().split("\n")) {
            cases.add(new ObjectMapper().readTree(line).get("case").asText());
        }
        assertEquals(Set.of("machine", "gemm", "cae", "cae@ew1000000:tad1000000"), cases);
        assertEquals(elementwise, org.nd4j.linalg.factory.Nd4j.getEnvironment().elementwiseThreshold());
    }

    @Test
    void heapCheckReportsGrowthOfEveryHeapCase() throws Exception {
        String out = run("--nin", "20", "--hidden", "12", "--batch", "8", "--heap-steps", "200", "--heap-limit-mb", "64");
        String[] lines = out.strip().split("\n");
        ObjectMapper mapper = new ObjectMapper();
        Set<String> heapCases = new HashSet<>();
        for (int i = 1; i < lines.length; i++) {
            JsonNode heap = mapper.readTree(lines[i]);
            assertEquals("heap", heap.get("case").asText());
            assertEquals(200, heap.get("steps").asInt());
            assertTrue(heap.get("growth_mb").asDouble() <= 64, heap.toString());
            assertTrue(heap.get("flat").asBoolean(), heap.toString());
            heapCases.add(heap.get("heap_case").asText());
        }
        assertEquals(Set.of("cae", "plain", "cae-tied"), heapCases);
    }

    @Test
    void unknownCaseIsRejectedNamingTheAllowedOnes() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new CaeBench().output(new PrintStream(new ByteArrayOutputStream())));
        cli.setErr(new java.io.PrintWriter(err, true));
        int exit = cli.execute("--nin", "20", "--hidden", "12", "--batch", "8", "--cases", "cae,torch");
        assertTrue(exit != 0);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown case 'torch'"), err.toString(StandardCharsets.UTF_8));
    }
}

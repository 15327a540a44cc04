package io.github.cae4j.bench;

import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the tangent benchmark runnable: tiny sizes, one short round. Not a measurement. */
class TangentBenchSmokeTest {

    @Test
    void printsStepRatiosAndTangentTimes() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TangentBench bench = new TangentBench().output(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int exit = new CommandLine(bench).execute("--nin", "20", "--hidden", "12,8", "--classes", "3", "--batch", "8", "--k", "1,3",
                "--tangent-examples", "30", "--seconds", "0.05", "--rounds", "2", "--warmup", "1");
        assertEquals(0, exit, bytes.toString(StandardCharsets.UTF_8));
        List<String> names = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper();
        for (String line : bytes.toString(StandardCharsets.UTF_8).strip().split("\n")) {
            JsonNode json = mapper.readTree(line);
            names.add(json.get("case").asText());
            if (json.has("ratio_to_plain")) {
                assertTrue(json.get("ms_per_step").asDouble() > 0, line);
                assertEquals(json.get("k").asInt() + 1, json.get("target_ratio").asInt(), line);
            }
            if (json.has("seconds_per_1000")) {
                assertTrue(json.get("seconds_per_1000").asDouble() > 0, line);
            }
        }
        assertEquals(List.of("machine", "plain", "mtc-k1", "mtc-k3", "tangents-k1", "tangents-k3"), names);
    }
}

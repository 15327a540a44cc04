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

/** Keeps the guard benchmark runnable: tiny sizes, two short rounds. Not a measurement. */
class GuardBenchSmokeTest {

    @Test
    void printsOneLinePerVariantWithItsRatio() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GuardBench bench = new GuardBench().output(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int exit = new CommandLine(bench).execute("--nin", "20", "--hidden", "12", "--batch", "8",
                "--seconds", "0.05", "--rounds", "2", "--warmup", "1");
        assertEquals(0, exit, bytes.toString(StandardCharsets.UTF_8));
        List<String> names = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper();
        for (String line : bytes.toString(StandardCharsets.UTF_8).strip().split("\n")) {
            JsonNode json = mapper.readTree(line);
            names.add(json.get("case").asText());
            if (json.has("ms_per_step")) {
                assertTrue(json.get("ms_per_step").asDouble() > 0, line);
                assertTrue(json.get("x_unguarded").asDouble() > 0, line);
            }
        }
        assertEquals(List.of("machine", "unguarded", "guard-every-10", "guard-every-1", "previous-guard"), names);
    }
}

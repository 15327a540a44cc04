package io.github.cae4j.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code compare-torch.sh} promises both sides the same OpenMP wait policy. Each side is replaced by a
 * script that prints the policy it was started with; no benchmark runs.
 */
class CompareTorchScriptTest {

    @TempDir
    Path dir;

    private Path fake(String name, String side) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, "#!/usr/bin/env bash\necho \"" + side + " ${OMP_WAIT_POLICY:-unset}\"\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }

    private List<String> run(String exportedPolicy) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "compare-torch.sh", "1", "2", "openblas").redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.remove("OMP_WAIT_POLICY");
        env.remove("CAE4J_OMP_DEFAULTS");
        if (exportedPolicy != null) {
            env.put("OMP_WAIT_POLICY", exportedPolicy);
        }
        env.put("CAE4J_RUN_BENCH", fake("run-bench", "cae4j").toString());
        env.put("CAE4J_TORCH_PYTHON", fake("python3", "torch").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.strip().lines().toList();
    }

    @Test
    void bothSidesRunUnderTheSamePolicy() throws Exception {
        assertEquals(List.of("cae4j PASSIVE", "torch PASSIVE"), run(null), "the project's default, for torch too");
        assertEquals(List.of("cae4j ACTIVE", "torch ACTIVE"), run("ACTIVE"), "an exported policy reaches both sides");
    }
}

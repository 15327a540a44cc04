package io.github.cae4j.examples.table1;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The Table 1 smoke tests' way of running {@code scripts/reproduce-table1 --quick} in-process. */
final class QuickCli {

    private QuickCli() {
    }

    /** Exit code and standard error of one run. */
    record Run(int exit, String err) {
    }

    static Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = ReproduceTable1.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int exit = assertTimeoutPreemptively(Duration.ofSeconds(150), () -> cli.execute(args));
        return new Run(exit, err.toString());
    }

    /** {@code --quick --rows ROWS} on the fake MNIST in {@code mnist}, with the cache under {@code dir}. */
    static String[] quick(Path mnist, Path dir, Path out, String rows, String... more) {
        List<String> a = new ArrayList<>(List.of("--quick", "--rows", rows, "--data-dir", mnist.toString(),
                "--cache-dir", dir.resolve("cache").toString(), "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    static JsonNode json(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }
}

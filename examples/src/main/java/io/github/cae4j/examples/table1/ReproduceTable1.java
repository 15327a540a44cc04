package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.data.MnistData;
import io.github.cae4j.examples.CleanErrors;
import io.github.cae4j.examples.data.MnistDataOptions;
import io.github.cae4j.examples.data.MnistSplits;
import io.github.cae4j.training.EarlyStoppingProgressLogger;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Reproduces the MNIST column of Table 1 of Rifai et al. (ICML 2011): each row's one-hidden-layer
 * MLP (784-1000-10; CAE-2: 784-1000-1000-10) pretrained without labels on the first 50,000
 * training digits, fine-tuned on their labels with early stopping on the last 10,000, and tested
 * once on the 10,000 test digits. {@code scripts/reproduce-table1} runs it.
 */
@Command(name = "reproduce-table1", mixinStandardHelpOptions = true,
        description = "Reproduces Table 1 of Rifai et al. (ICML 2011) on full MNIST: random init, AE, AE+wd, DAE-g, DAE-b, CAE, CAE-2, DL4J AutoEncoder.")
public final class ReproduceTable1 implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ReproduceTable1.class);
    static final Path COMMITTED_RESULTS = Path.of("results", "table1");

    @Option(names = "--rows", split = ",", description = "Rows to run, comma-separated, as in the table (default: all): random, ae, ae+wd, dae-g, dae-b, cae, cae-2, dl4j-ae.")
    List<String> rows;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of initialisation, minibatch order and noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", description = "Output directory (default: results/table1; with --quick: runs/table1-quick). A rerun resumes it.")
    Path out;

    @Option(names = "--quick", description = "A tiny setting for smoke tests (2,000 training digits, 1,000 validation and test digits, 64 units, 1-3 epochs); never writes into results/table1.")
    boolean quick;

    @Option(names = "--data-dir", description = "Directory with the four MNIST IDX files (plain or .gz). Default: scripts/fetch-mnist's cache, DL4J's MNIST cache.")
    Path dataDir;

    @Option(names = "--cache-dir", description = "cae4j's data cache (default: $CAE4J_DATA_DIR or ~/.cache/cae4j).")
    Path cacheDir;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Bad flags, missing data and a directory of another protocol print one clear message, no stack trace. */
    static CommandLine commandLine() {
        return CleanErrors.commandLine(new ReproduceTable1());
    }

    @Override
    public Integer call() throws Exception {
        Table1Protocol protocol = quick ? Table1Protocol.quick() : Table1Protocol.full();
        Path dir = out != null ? out : quick ? Path.of("runs", "table1-quick") : COMMITTED_RESULTS;
        if (quick && dir.toAbsolutePath().normalize().startsWith(COMMITTED_RESULTS.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--quick never writes into the committed results (" + COMMITTED_RESULTS
                    + "); pass another --out");
        }
        List<Table1Row> selected = rows == null || rows.isEmpty() ? List.of(Table1Row.values())
                : rows.stream().map(Table1Row::parse).distinct().sorted().toList();
        Files.createDirectories(dir);
        requireSameProtocol(dir, protocol);

        io.github.cae4j.examples.ExampleData.requireDirectory("--data-dir", dataDir);
        MnistSplits data = MnistData.load(new MnistDataOptions(dataDir, cacheDir, MnistDataOptions.Source.FULL, 0, protocol.maxTrain()));
        if (quick) {
            data = firstValidationAndTestDigits(data, QUICK_HELD_OUT);
        }
        log.info("data: {} ({} train / {} validation / {} test digits); output in {}", data.source(), data.trainX().size(0),
                data.validX().size(0), data.testX().size(0), dir.toAbsolutePath());
        String commit = gitCommit();
        Map<String, Object> header = header(protocol, data, commit);
        RowRunner runner = new RowRunner(protocol, data, dir, seed, commit);

        long start = System.nanoTime();
        int ran = 0;
        int pending = (int) selected.stream().filter(r -> !RowRunner.finished(dir, r)).count();
        for (Table1Row row : selected) {
            boolean toRun = !RowRunner.finished(dir, row);
            double elapsed = (System.nanoTime() - start) / 1e9;
            String eta = ran == 0 ? "after the first row" : EarlyStoppingProgressLogger.duration(elapsed / ran * pending);
            log.info("=== {} ({}): {}; elapsed {}, ETA for the rest {}", row.label(), row.id(), toRun ? "running" : "finished earlier",
                    EarlyStoppingProgressLogger.duration(elapsed), eta);
            runner.run(row);
            if (toRun) {
                ran++;
                pending--;
            }
            Table1Report.write(dir, header);
        }
        List<JsonNode> finished = Table1Report.write(dir, header);
        log.info("done in {}; {} rows in {}:\n{}", EarlyStoppingProgressLogger.duration((System.nanoTime() - start) / 1e9),
                finished.size(), dir.resolve("table.md"), Table1Report.markdown(finished, header));
        return 0;
    }

    /** Held-out digits of the quick setting: the first 1,000 validation and 1,000 test digits. */
    static final int QUICK_HELD_OUT = 1000;

    private static MnistSplits firstValidationAndTestDigits(MnistSplits d, int n) {
        var rows = NDArrayIndex.interval(0, n);
        var all = NDArrayIndex.all();
        return new MnistSplits(d.trainX(), d.trainY(), d.validX().get(rows, all), d.validY().get(rows, all),
                d.testX().get(rows, all), d.testY().get(rows, all), d.source() + ", first " + n + " validation and test digits");
    }

    /** A directory holds one protocol and seed; mixing rows of two would make a table of nothing. */
    private void requireSameProtocol(Path dir, Table1Protocol protocol) throws IOException {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("protocol", protocol.describe());
        run.put("seed", seed);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode wanted = mapper.readTree(mapper.writeValueAsString(run));
        Path file = dir.resolve("run.json");
        if (Files.isRegularFile(file)) {
            JsonNode existing = RowFiles.read(file);
            if (!existing.equals(wanted)) {
                throw new IllegalArgumentException(dir + " holds rows of another protocol or seed (see " + file
                        + "); use another --out, or the same flags as before (" + (quick ? "" : "no ") + "--quick, --seed "
                        + existing.path("seed").asText() + ")");
            }
        } else {
            RowFiles.write(file, run);
        }
    }

    private Map<String, Object> header(Table1Protocol protocol, MnistSplits data, String commit) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("description", String.format("Sigmoid MLP %d hidden units, pretrained without labels on %d training digits, fine-tuned on"
                        + " their labels, early stopping on %d validation digits, tested once on %d test digits; seed %d%s.",
                protocol.hidden(), data.trainX().size(0), data.validX().size(0), data.testX().size(0), seed,
                quick ? "; QUICK SETTING (smoke test), not the paper's protocol" : ""));
        h.put("data", data.source());
        h.put("seed", seed);
        h.put("git_commit", commit);
        h.put("protocol", protocol.describe());
        h.put("environment", Map.of("java", System.getProperty("java.version"), "cores", Runtime.getRuntime().availableProcessors(),
                "backend", Nd4j.getExecutioner().getClass().getSimpleName(),
                "nd4j_threads", Nd4j.getEnvironment().maxThreads()));
        h.put("updated", Instant.now().toString());
        return h;
    }

    /** HEAD's commit, marked when the working tree has changes to tracked files; "unknown" without git. */
    static String gitCommit() {
        try {
            String head = git("rev-parse", "HEAD");
            String dirty = git("status", "--porcelain", "--untracked-files=no");
            return head.isEmpty() ? "unknown" : head + (dirty.isEmpty() ? "" : " (with uncommitted changes)");
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String git(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return "";
        }
        return text;
    }
}

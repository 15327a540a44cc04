package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.data.MnistSplits;
import io.github.cae4j.examples.testing.FakeMnist;
import io.github.cae4j.io.ModelFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.github.cae4j.examples.table1.QuickCli.json;
import static io.github.cae4j.examples.table1.QuickCli.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --quick --labels 500} taking the pretrainings of a {@code --quick} full table
 * ({@code --reuse-pretraining}): not rerun, the other directory untouched, every result and model bit
 * for bit those of a run that pretrains everything itself; a pretraining of another seed or
 * setting, and a directory of another protocol or other digits, are not reused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedPretrainingsSmokeTest {

    private static final String ROWS = "cae,cae-h,mtc";

    @TempDir
    static Path dir;
    private static Path mnist;
    private static Path full;
    private static Path alone;

    @BeforeAll
    static void fullTableAndARunWithoutReuse() throws IOException {
        mnist = dir.resolve("mnist");
        FakeMnist.writeFullMnist(mnist, false);
        full = dir.resolve("full");
        QuickCli.Run f = run(QuickCli.quick(mnist, dir, full, ROWS));
        assertEquals(0, f.exit(), f.err());
        alone = dir.resolve("alone");
        QuickCli.Run a = run(QuickCli.quick(mnist, dir, alone, ROWS, "--labels", "500", "--reuse-pretraining", "none"));
        assertEquals(0, a.exit(), a.err());
        assertTrue(pretrainRecords(alone).values().stream().noneMatch(r -> r.has(SharedPretrainings.REUSED_FROM)));
    }

    @Test
    @Order(1)
    void labelsReuseTheFullTablesPretrainingsBitForBit() throws Exception {
        Map<String, String> before = tree(full);
        Path reused = dir.resolve("reused");
        QuickCli.Run r = run(QuickCli.quick(mnist, dir, reused, ROWS, "--labels", "500", "--reuse-pretraining", full.toString()));
        assertEquals(0, r.exit(), r.err());
        assertEquals(before, tree(full), "nothing is written into the full table's directory");

        // every pretraining the full table has (same relative directory) is copied, not run; the others run here
        Map<String, JsonNode> mine = pretrainRecords(reused);
        Map<String, JsonNode> theirs = pretrainRecords(full);
        int copied = 0;
        for (var e : mine.entrySet()) {
            boolean there = theirs.containsKey(e.getKey()) && lengths(theirs.get(e.getKey())).containsAll(lengths(e.getValue()));
            assertEquals(there, e.getValue().has(SharedPretrainings.REUSED_FROM), e.getKey() + ": " + e.getValue());
            if (there) {
                copied++;
                assertEquals(full.resolve(e.getKey()).toAbsolutePath().normalize().toString(),
                        e.getValue().get(SharedPretrainings.REUSED_FROM).asText());
                // the full table's own timing: no pretraining epoch ran here
                assertEquals(theirs.get(e.getKey()).get("snapshots").get(0).get("seconds"), e.getValue().get("snapshots").get(0).get("seconds"));
            }
        }
        // seed 1: CAE's 2 lambdas, CAE+H's 2 gammas, the MTC's layer 2 (it sits on the CAE+H choice, the same in both runs
        // when the choices agree); at least the 4 selection pretrainings whatever the choices
        assertTrue(copied >= 4, "reused " + copied + " of " + mine.keySet());
        assertEquals(pretrainRecords(alone).keySet(), mine.keySet(), "the same pretrainings as a run on its own");

        // bit for bit what the run without reuse gives: pretrained layers, selections, seeds, final models
        for (String rel : mine.keySet()) {
            try (Stream<Path> snaps = Files.list(reused.resolve(rel))) {
                for (Path s : snaps.filter(p -> p.toString().endsWith(".nd4j")).toList()) {
                    assertEquals(-1, Files.mismatch(s, alone.resolve(rel).resolve(s.getFileName())), s.toString());
                }
            }
        }
        for (String row : List.of("cae", "cae-h", "mtc")) {
            // the labelled setting's one round: every candidate in full
            for (int round = 1; round <= Table1Protocol.quick().semiSupervised(500).halving(Table1Row.parse(row)).rounds(); round++) {
                String f = "rows/" + row + "/selection/round-" + round + ".json";
                assertEquals(json(alone.resolve(f)).get("candidates"), json(reused.resolve(f)).get("candidates"), f);
            }
            for (long seed : new long[]{1, 2}) {
                JsonNode a = json(alone.resolve("rows/" + row + "/seed-" + seed + ".json"));
                JsonNode b = json(reused.resolve("rows/" + row + "/seed-" + seed + ".json"));
                for (String key : List.of("test_error_pct", "valid_error_pct_by_epoch", "finetune_epochs", "mean_jacobian_fro", "saturated_pct")) {
                    assertEquals(a.get(key), b.get(key), row + " seed " + seed + " " + key);
                }
            }
        }
        List<Path> models = bestModels(alone);
        assertFalse(models.isEmpty());
        assertEquals(models, bestModels(reused));
        for (Path m : models) {
            assertArrayEquals(ModelFiles.load(alone.resolve(m), false).params().data().asFloat(),
                    ModelFiles.load(reused.resolve(m), false).params().data().asFloat(), 0f, m.toString());
        }
        assertEquals(-1, Files.mismatch(alone.resolve("checkpoints/mtc/seed-1/tangents/" + MtcTangents.DATA),
                reused.resolve("checkpoints/mtc/seed-1/tangents/" + MtcTangents.DATA)), "the tangents (of the labelled digits, computed here)");
        assertEquals(500, json(reused.resolve("checkpoints/mtc/seed-1/tangents/" + MtcTangents.RECORD)).get("digits").asInt());
    }

    /** A pretraining of another seed and one of another setting (tampered records in a copy) are pretrained here; the rest is reused. */
    @Test
    @Order(2)
    void aPretrainingOfAnotherSeedOrSettingIsNotReused() throws Exception {
        Path other = dir.resolve("other");
        copyTree(full, other);
        String seedChanged = "checkpoints/cae/seed-1/pretrain-layer1/lambda0.3-adam-lr3e-3-b64-p2";
        String settingChanged = "checkpoints/cae-h/seed-1/pretrain-layer1/lambda1-gamma1-s0.1-c2-adam-lr3e-3-b64-p2";
        edit(other.resolve(seedChanged).resolve(RowFiles.RUN_RECORD), r -> r.put("seed", 7));
        edit(other.resolve(settingChanged).resolve(RowFiles.RUN_RECORD),
                r -> ((ObjectNode) r.get("candidate").get("higher_order")).put("copies", 3));
        Path reused = dir.resolve("reused-other");
        QuickCli.Run r = run(QuickCli.quick(mnist, dir, reused, ROWS, "--labels", "500", "--reuse-pretraining", other.toString()));
        assertEquals(0, r.exit(), r.err());
        Map<String, JsonNode> mine = pretrainRecords(reused);
        assertFalse(mine.get(seedChanged).has(SharedPretrainings.REUSED_FROM), "another seed");
        assertFalse(mine.get(settingChanged).has(SharedPretrainings.REUSED_FROM), "another higher-order term");
        assertTrue(mine.get("checkpoints/cae/seed-1/pretrain-layer1/lambda1-adam-lr3e-3-b64-p2").has(SharedPretrainings.REUSED_FROM));
        for (String rel : List.of(seedChanged, settingChanged)) {
            assertEquals(-1, Files.mismatch(reused.resolve(rel).resolve("e2.nd4j"), alone.resolve(rel).resolve("e2.nd4j")), rel);
        }
        for (String row : List.of("cae", "cae-h", "mtc")) {
            assertEquals(json(alone.resolve("rows/" + row + "/row.json")).get("test_error_pct_per_seed"),
                    json(reused.resolve("rows/" + row + "/row.json")).get("test_error_pct_per_seed"), row);
        }
    }

    /** The directory as a whole: another protocol, other digits, no record of the digits, itself; and the plan. */
    @Test
    @Order(3)
    void aDirectoryOfAnotherProtocolOrOtherDigitsIsNotReusedAndThePlanCountsReuseAsFree() throws Exception {
        Table1Protocol semi = Table1Protocol.quick().semiSupervised(500);
        @SuppressWarnings("unchecked")
        Map<String, Object> digits = new ObjectMapper().convertValue(PretrainingData.read(full), Map.class);
        Path empty = dir.resolve("plan");
        assertNotNull(SharedPretrainings.open(full, empty, semi, digits));

        Path otherProtocol = dir.resolve("other-protocol");
        Files.createDirectories(otherProtocol);
        Files.copy(full.resolve(PretrainingData.FILE), otherProtocol.resolve(PretrainingData.FILE));
        Files.copy(full.resolve("run.json"), otherProtocol.resolve("run.json"));
        edit(otherProtocol.resolve("run.json"), r -> ((ObjectNode) r.get("protocol")).put("hidden", 64));
        assertNull(SharedPretrainings.open(otherProtocol, empty, semi, digits), "64 hidden units");
        Files.delete(otherProtocol.resolve("run.json"));
        Files.copy(full.resolve("run.json"), otherProtocol.resolve("run.json"));
        assertNotNull(SharedPretrainings.open(otherProtocol, empty, semi, digits));
        edit(otherProtocol.resolve(PretrainingData.FILE), r -> r.put("sha256", "0".repeat(64)));
        assertNull(SharedPretrainings.open(otherProtocol, empty, semi, digits), "other digits");
        Files.delete(otherProtocol.resolve(PretrainingData.FILE));
        assertNull(SharedPretrainings.open(otherProtocol, empty, semi, digits), "digits not recorded");
        assertNull(SharedPretrainings.open(dir.resolve("nothing"), empty, semi, digits));
        IllegalArgumentException itself = assertThrows(IllegalArgumentException.class, () -> SharedPretrainings.open(empty, empty, semi, digits));
        assertTrue(itself.getMessage().contains("is the output directory itself"), itself.getMessage());

        // the plan of an empty --labels directory: the selections' pretrainings are free with the full table
        MnistSplits sizes = new MnistSplits(Nd4j.zeros(DataType.FLOAT, 2000, 1), Nd4j.eye(10).repeat(0, 200).castTo(DataType.FLOAT),
                Nd4j.zeros(DataType.FLOAT, 1000, 1), null, null, null, "sizes only");
        Plan without = ReproduceTable1.plan(semi, sizes, empty, EpochTimes.DOCUMENTED, Table1Protocol.SEMI_SUPERVISED_ROWS, null, null, null);
        Plan with = ReproduceTable1.plan(semi, sizes, empty, EpochTimes.DOCUMENTED, Table1Protocol.SEMI_SUPERVISED_ROWS, null, null,
                SharedPretrainings.open(full, empty, semi, digits));
        // CAE 2 and CAE+H 2 selection pretrainings of seed 1
        assertEquals(without.totalSteps() - 4, with.totalSteps(), without.markdown() + "\n" + with.markdown());
        assertTrue(with.totalSeconds() < without.totalSeconds());

        QuickCli.Run bad = run(QuickCli.quick(mnist, dir, dir.resolve("bad"), "cae", "--reuse-pretraining", full.toString()));
        assertNotEquals(0, bad.exit());
        assertTrue(bad.err().contains("--reuse-pretraining is for --labels N"), bad.err());
    }

    /** Pretraining directories (relative) and their records. */
    private static Map<String, JsonNode> pretrainRecords(Path out) throws IOException {
        Map<String, JsonNode> m = new TreeMap<>();
        try (Stream<Path> files = Files.walk(out.resolve("checkpoints"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals(RowFiles.RUN_RECORD)
                    && p.getParent().getParent().getFileName().toString().startsWith("pretrain-layer")).toList()) {
                m.put(out.relativize(f.getParent()).toString(), json(f));
            }
        }
        return m;
    }

    private static List<Integer> lengths(JsonNode record) {
        List<Integer> l = new ArrayList<>();
        record.get("snapshots").forEach(s -> l.add(s.get("max_epochs").asInt()));
        return l;
    }

    private static List<Path> bestModels(Path out) throws IOException {
        try (Stream<Path> files = Files.walk(out.resolve("checkpoints"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("best-e")).map(out::relativize).sorted().toList();
        }
    }

    /** Every file's path with its size, modification time and contents' hash. */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(f).toString(), Files.size(f) + " " + Files.getLastModifiedTime(f) + " "
                        + java.util.Arrays.hashCode(Files.readAllBytes(f)));
            }
        }
        return m;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        List<Path> all;
        try (Stream<Path> files = Files.walk(from)) {
            all = new ArrayList<>(files.toList());
        }
        for (Path p : all) {
            Path t = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(t);
            } else {
                Files.copy(p, t);
            }
        }
    }

    private static void edit(Path file, java.util.function.Consumer<ObjectNode> change) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode n = (ObjectNode) mapper.readTree(file.toFile());
        change.accept(n);
        Files.writeString(file, mapper.writeValueAsString(n));
    }
}

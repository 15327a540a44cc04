package io.github.cae4j.examples.table1;

import io.github.cae4j.io.ModelFiles;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

/**
 * Finished pretrainings of another output directory (the full table's, for {@code --labels N}),
 * reused when they are the same computation as the one this run would do: the semi-supervised
 * setting pretrains on all training digits without labels, exactly as Table 1 does.
 *
 * <p>The directory as a whole must have the same hidden units, training-digit limit and pretraining
 * settings in its {@code run.json} and the same pretraining digits ({@link PretrainingData});
 * each pretraining must then be of the same row and layer, with the same regularisation (and
 * CAE+H's higher-order term), pretraining settings and seed in its record, have every length wanted,
 * and for a layer 2 sit on a layer 1 identical byte for byte to this directory's. Anything else is
 * pretrained here, with a log line saying why. Reusing copies the snapshots into this directory
 * (each to a temporary name, then renamed; the record last), so that a reused pretraining is
 * saved like one run here; nothing is ever written into the other directory. The MTC's tangents
 * are not taken: under {@code --labels} they are of the labelled digits only, the full table's of all.
 */
final class SharedPretrainings {

    private static final Logger log = LoggerFactory.getLogger(SharedPretrainings.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The keys of {@code run.json}'s protocol that decide a pretraining (the rest is about fine-tuning). */
    static final List<String> PROTOCOL_KEYS = List.of("hidden", "max_train", "pretrainings");
    /** Marks a reused pretraining's record and snapshot reports. */
    static final String REUSED_FROM = "reused_from";

    private final Path source;
    private final Path out;
    private final int hidden;
    private final Set<String> explained = new HashSet<>();

    private SharedPretrainings(Path source, Path out, int hidden) {
        this.source = source;
        this.out = out;
        this.hidden = hidden;
    }

    Path source() {
        return source;
    }

    /**
     * The other directory, when its pretrainings can be the same computation as this run's; else
     * null, with a log line saying why.
     *
     * @param data this run's {@link PretrainingData#of} fingerprint
     */
    static SharedPretrainings open(Path source, Path out, Table1Protocol protocol, Map<String, Object> data) throws IOException {
        Path src = source.toAbsolutePath().normalize();
        Path dst = out.toAbsolutePath().normalize();
        if (src.equals(dst)) {
            throw new IllegalArgumentException("--reuse-pretraining " + source + " is the output directory itself; name the full table's"
                    + " directory (default: results/table1) or none");
        }
        Path run = src.resolve("run.json");
        if (!Files.isRegularFile(run)) {
            log.info("pretrainings: {} holds no table ({} is missing), so every pretraining runs here", src, run.getFileName());
            return null;
        }
        JsonNode theirs = RowFiles.read(run).get("protocol");
        JsonNode ours = JSON.readTree(JSON.writeValueAsString(protocol.describe()));
        for (String key : PROTOCOL_KEYS) {
            if (theirs == null || !ours.get(key).equals(theirs.get(key))) {
                log.warn("pretrainings: NOT reusing {}: its protocol's {} differ from this run's ({} there, {} here), so every pretraining"
                        + " runs here", src, key, theirs == null ? "none" : theirs.get(key), ours.get(key));
                return null;
            }
        }
        JsonNode theirData = PretrainingData.read(src);
        if (theirData == null) {
            log.warn("pretrainings: NOT reusing {}: it does not record the digits it pretrained on ({}; any run of this version there,"
                    + " e.g. its --plan, writes it), so every pretraining runs here", src, PretrainingData.FILE);
            return null;
        }
        if (!theirData.get("sha256").asText().equals(data.get("sha256"))) {
            log.warn("pretrainings: NOT reusing {}: it pretrained on other digits (sha256 {} of {} training and {} validation digits; here {}"
                            + " of {} and {}), so every pretraining runs here", src, theirData.get("sha256").asText(), theirData.get("train_digits"),
                    theirData.get("validation_digits"), data.get("sha256"), data.get("train_digits"), data.get("validation_digits"));
            return null;
        }
        log.info("pretrainings: reusing the finished ones of {} that are the same computation (same hidden units, pretraining settings"
                + " and digits, sha256 {}; each one's row, regularisation, seed and lengths checked before use); nothing is written there",
                src, data.get("sha256"));
        return new SharedPretrainings(src, dst, protocol.hidden());
    }

    /**
     * The other directory's pretraining of {@code c}'s layer for {@code seed} when it is the same
     * computation and has every length in {@code lengths}, else null (logging why once).
     *
     * @param planning whether for the plan: a layer 2 whose layer 1 is not here yet counts as
     *                 reusable when the other directory has that layer 1 too (it will be reused first)
     */
    Path find(Table1Row owner, Candidate c, int layer, long seed, SortedSet<Integer> lengths, boolean planning) throws IOException {
        Path theirs = new RowFiles(source, owner).pretrainDir(seed, layer, c);
        JsonNode record = RowFiles.pretrainRecord(theirs);
        if (record == null) {
            return null;
        }
        String why = differs(record, theirs, c, layer, seed, lengths);
        if (why == null && layer > 1) {
            why = lowerLayerDiffers(owner, c, seed, planning);
        }
        if (why != null) {
            if (!planning && explained.add(theirs.toString())) {
                log.warn("pretrain {} layer {}, {}, seed {}: NOT reusing {} ({}); pretraining here", owner.label(), layer, c.pretrainRunId(),
                        seed, theirs, why);
            }
            return null;
        }
        return theirs;
    }

    private String differs(JsonNode record, Path theirs, Candidate c, int layer, long seed, SortedSet<Integer> lengths) throws IOException {
        long wantedSeed = seed + layer - 1;
        if (record.get("seed") == null || record.get("seed").asLong() != wantedSeed) {
            return "seed " + record.get("seed") + " there, " + wantedSeed + " here";
        }
        JsonNode mine = pretrainingPart(JSON.readTree(JSON.writeValueAsString(c.describe())));
        JsonNode other = pretrainingPart(record.get("candidate"));
        if (!mine.equals(other)) {
            return "setting " + other + " there, " + mine + " here";
        }
        long nIn = layer == 1 ? -1 : hidden;
        for (int l : lengths) {
            if (!RowFiles.hasSnapshot(theirs, l) || !Files.isRegularFile(RowFiles.snapshotFile(theirs, l))) {
                return "no snapshot of " + l + " epochs there";
            }
            JsonNode s = RowFiles.snapshotReport(theirs, l);
            if (s.get("layer").asInt() != layer || s.get("n_out").asLong() != hidden || (nIn > 0 && s.get("n_in").asLong() != nIn)) {
                return "snapshot of " + l + " epochs is layer " + s.get("layer") + ", " + s.get("n_in") + "-" + s.get("n_out");
            }
        }
        return null;
    }

    /** A candidate's description without what does not change its pretraining (its id, fine-tuner and length). */
    private static JsonNode pretrainingPart(JsonNode candidate) {
        if (candidate == null || !candidate.isObject()) {
            return JSON.nullNode();
        }
        ObjectNode n = ((ObjectNode) candidate).deepCopy();
        n.remove("id");
        n.remove("finetune");
        JsonNode p = n.get("pretrain");
        if (p instanceof ObjectNode po) {
            po.remove("max_epochs");
        }
        return n;
    }

    /** Layer 2 learns from layer 1's codes: the two directories' layer 1 must be the same file, byte for byte. */
    private String lowerLayerDiffers(Table1Row owner, Candidate c, long seed, boolean planning) throws IOException {
        Table1Row lower = switch (owner) {
            case MTC -> Table1Row.CAE_H;
            case CAE_2 -> Table1Row.CAE;
            default -> null;
        };
        if (lower == null) {
            return "no layer 1 known for a layer 2 of " + owner.label();
        }
        int length = c.pretraining().epochs();
        Path theirs = RowFiles.snapshotFile(new RowFiles(source, lower).pretrainDir(seed, 1, c), length);
        Path mine = RowFiles.snapshotFile(new RowFiles(out, lower).pretrainDir(seed, 1, c), length);
        if (!Files.isRegularFile(theirs)) {
            return "its layer 1 (" + theirs + ") is missing";
        }
        if (!Files.isRegularFile(mine)) {
            return planning ? null : "layer 1 is not pretrained here yet";
        }
        return Files.mismatch(theirs, mine) == -1 ? null : "it sits on another layer 1 (" + theirs + " differs from " + mine + ")";
    }

    /**
     * Copies the snapshots of {@code wanted} that {@code dir} lacks from {@code theirs}, then writes
     * {@code dir}'s record (last: an interrupted copy is redone).
     */
    void copy(Path theirs, Path dir, Candidate c, int layer, long seed, SortedSet<Integer> wanted, String what) throws IOException {
        Files.createDirectories(dir);
        List<Map<String, Object>> reports = new ArrayList<>();
        JsonNode existing = RowFiles.pretrainRecord(dir);
        int copied = 0;
        for (int l : wanted) {
            if (existing != null && RowFiles.hasSnapshot(dir, l)) {
                reports.add(asMap(RowFiles.snapshotReport(dir, l)));
                continue;
            }
            Path source = RowFiles.snapshotFile(theirs, l);
            ModelFiles.writeAtomically(RowFiles.snapshotFile(dir, l), out -> Files.copy(source, out));
            Map<String, Object> r = asMap(RowFiles.snapshotReport(theirs, l));
            r.put(REUSED_FROM, theirs.toString());
            reports.add(r);
            copied++;
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("candidate", c.describe());
        record.put("seed", seed + layer - 1);
        record.put("snapshots", reports);
        record.put(REUSED_FROM, theirs.toString());
        RowFiles.write(dir.resolve(RowFiles.RUN_RECORD), record);
        log.info("{}: REUSED from {} ({} snapshot{} {} copied; the same computation), not rerun", what, theirs, copied,
                copied == 1 ? "" : "s", wanted);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(JsonNode n) {
        return new LinkedHashMap<>(JSON.convertValue(n, Map.class));
    }
}

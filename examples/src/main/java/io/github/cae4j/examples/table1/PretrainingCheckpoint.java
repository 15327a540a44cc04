package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.FileTrees;
import io.github.cae4j.io.ModelFiles;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
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
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * An unfinished {@link SnapshotPretraining} as it stood after its latest epoch, so that a stopped
 * run goes on from there instead of from epoch 1; resumed, it ends bit for bit as an uninterrupted
 * run (SnapshotPretrainingTest). Held: the network (parameters, DL4J's iteration count that Adam's
 * bias correction reads, and the pretraining optimiser's state, which DL4J keeps in the layer and
 * {@code ModelFiles} saves beside DL4J's entries), ND4J's random state (the noise of the coming epochs), the held-out
 * objective per epoch, the best model so far and the snapshots already taken.
 *
 * <p>Files are named by epoch and written atomically before {@value #PROGRESS}, which names the
 * current ones; the others are deleted after it, so a stop at any moment leaves one consistent state.
 * A checkpoint of another run (other settings, lengths or data shape) is deleted, not resumed.
 */
final class PretrainingCheckpoint {

    private static final Logger log = LoggerFactory.getLogger(PretrainingCheckpoint.class);
    static final String PROGRESS = "progress.json";

    private PretrainingCheckpoint() {
    }

    /** A snapshot already taken: its model is in {@code file}. */
    record Taken(SnapshotPretraining.Snapshot snapshot, String file) {
    }

    /**
     * @param epochs    epochs done
     * @param scores    held-out objective by 0-based epoch
     * @param bestEpoch 1-based epoch of {@code best}
     * @param seconds   wall time of the run so far
     * @param bestFile  the checkpoint's file of {@code best}
     */
    record Saved(int epochs, Map<Integer, Double> scores, int bestEpoch, double seconds, long rngRoot, long rngNode,
                 MultiLayerNetwork net, PretrainedAutoencoder best, String bestFile, List<Taken> taken) {

        /** Whether the run stopped at this epoch: its limit, or {@code patience} epochs without a lower objective. */
        boolean finished(int maxEpochs, int patience) {
            return epochs >= maxEpochs || epochs - bestEpoch >= patience;
        }
    }

    /**
     * Writes the state after {@code epochs} epochs; ND4J's random state is read now, so call it at
     * the end of an epoch, before anything else draws from the generator.
     *
     * @param bestFile the file {@code best} is in already (it did not change this epoch), or null to write it
     * @return the file holding {@code best}
     */
    static String save(Path dir, String identity, int epochs, Map<Integer, Double> scores, int bestEpoch, double seconds,
                       MultiLayerNetwork net, PretrainedAutoencoder best, String bestFile, List<Taken> taken) throws IOException {
        Files.createDirectories(dir);
        long root = Nd4j.getRandom().rootState();
        long node = Nd4j.getRandom().nodeState();
        String state = "state-e" + epochs + ".zip";
        // with the pretraining optimiser's state, which ModelFiles adds to DL4J's file
        ModelFiles.saveAtomically(net, dir.resolve(state), true);
        if (bestFile == null) {
            bestFile = "best-e" + bestEpoch + ".nd4j";
            RowFiles.saveAutoencoder(dir.resolve(bestFile), best);
        }
        List<Map<String, Object>> snapshots = new ArrayList<>();
        for (Taken t : taken) {
            if (!Files.exists(dir.resolve(t.file()))) {
                RowFiles.saveAutoencoder(dir.resolve(t.file()), t.snapshot().ae());
            }
            Map<String, Object> m = t.snapshot().numbers();
            m.put("file", t.file());
            snapshots.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("identity", identity);
        doc.put("epochs", epochs);
        doc.put("best_epoch", bestEpoch);
        doc.put("seconds", seconds);
        // the generator's two 64-bit words, as JSON integers (exact, unlike doubles)
        doc.put("rng_root_state", root);
        doc.put("rng_node_state", node);
        doc.put("state_file", state);
        doc.put("best_file", bestFile);
        Map<String, Double> byEpoch = new LinkedHashMap<>();
        new TreeMap<>(scores).forEach((e, v) -> byEpoch.put(String.valueOf(e), v));
        doc.put("scores_by_epoch0", byEpoch);
        doc.put("snapshots", snapshots);
        RowFiles.write(dir.resolve(PROGRESS), doc);
        Set<String> kept = new HashSet<>(List.of(PROGRESS, state, bestFile));
        taken.forEach(t -> kept.add(t.file()));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (!kept.contains(f.getFileName().toString())) {
                    Files.deleteIfExists(f);
                }
            }
        }
        return bestFile;
    }

    /** Epochs done by the checkpoint in {@code dir}, 0 when there is none or it cannot be read: for the cost plan. */
    static int epochsDone(Path dir) {
        Path progress = dir.resolve(PROGRESS);
        try {
            return Files.isRegularFile(progress) ? RowFiles.read(progress).path("epochs").asInt(0) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The state saved in {@code dir}, or null when there is none; a checkpoint of another run, or
     * one that cannot be read, is deleted (with a warning) and null returned.
     */
    static Saved load(Path dir, String identity, LayerPretrainOptions opts, String name) throws IOException {
        Path progress = dir.resolve(PROGRESS);
        if (!Files.isRegularFile(progress)) {
            return null;
        }
        try {
            JsonNode doc = RowFiles.read(progress);
            if (!identity.equals(doc.path("identity").asText())) {
                log.warn("{}: {} holds another pretraining ({}), not this one ({}): deleted, starting from epoch 1", name, dir,
                        doc.path("identity").asText(), identity);
                FileTrees.delete(dir);
                return null;
            }
            Map<Integer, Double> scores = new TreeMap<>();
            doc.get("scores_by_epoch0").fields().forEachRemaining(e -> scores.put(Integer.parseInt(e.getKey()), e.getValue().asDouble()));
            MultiLayerNetwork net = ModelFiles.load(dir.resolve(doc.get("state_file").asText()), true);
            PretrainedAutoencoder best = RowFiles.loadAutoencoder(dir.resolve(doc.get("best_file").asText()), opts);
            List<Taken> taken = new ArrayList<>();
            for (JsonNode s : doc.get("snapshots")) {
                int epochs = s.get("epochs").asInt();
                Map<Integer, Double> curve = new TreeMap<>(scores);
                curve.keySet().removeIf(e -> e >= epochs);
                taken.add(new Taken(SnapshotPretraining.Snapshot.fromNumbers(s,
                        RowFiles.loadAutoencoder(dir.resolve(s.get("file").asText()), opts), curve), s.get("file").asText()));
            }
            return new Saved(doc.get("epochs").asInt(), scores, doc.get("best_epoch").asInt(), doc.get("seconds").asDouble(),
                    doc.get("rng_root_state").asLong(), doc.get("rng_node_state").asLong(), net, best, doc.get("best_file").asText(), taken);
        } catch (IOException | RuntimeException e) {
            log.warn("{}: the checkpoint in {} cannot be read ({}): deleted, starting from epoch 1", name, dir, e.toString());
            FileTrees.delete(dir);
            return null;
        }
    }
}

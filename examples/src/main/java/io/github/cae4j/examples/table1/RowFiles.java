package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.ResultsWriter;
import io.github.cae4j.io.ModelFiles;
import io.github.cae4j.losses.ContractiveLossFunction;
import io.github.cae4j.pretrain.LayerPretrainOptions;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one row keeps what it has finished, so that a rerun with the same output directory skips
 * it. {@code rows/<row>/} holds the results (JSON, committed with the table): {@code row.json} once
 * the row is finished, {@code seed-<s>.json} per finished seed, {@code selection/round-<r>.json}
 * per finished round of successive halving. {@code checkpoints/<row>/seed-<s>/} holds the models
 * (binaries, never committed): {@code pretrain/<run>/} (one pretraining with a snapshot per length)
 * and {@code candidates/<candidate>/} (one fine-tuning, see {@link FineTuneRun}). Every file is
 * written to a temporary name and renamed, so a file that exists is whole.
 */
final class RowFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String RUN_RECORD = "run.json";
    /** A pretraining's state between epochs, inside its directory until it finishes (see {@link PretrainingCheckpoint}). */
    static final String PARTIAL_PRETRAINING = "partial";

    private final Path results;
    private final Path checkpoints;

    /** A row's result files: {@code row.json} and one {@code seed-<s>.json} per seed. */
    private static final String RESULT_FILES = "row\\.json|seed-\\d+\\.json";
    /** The directory of a row's selection rounds. */
    private static final String SELECTION = "selection";

    RowFiles(Path out, Table1Row row) {
        this.results = out.resolve("rows").resolve(row.fileName());
        this.checkpoints = out.resolve("checkpoints").resolve(row.fileName());
    }

    Path resultFile() {
        return results.resolve("row.json");
    }

    Path seedFile(long seed) {
        return results.resolve("seed-" + seed + ".json");
    }

    /**
     * Moves a finished row's results ({@code row.json} and every {@code seed-<s>.json}) into
     * {@code rows/<row>/<name>/}, so that the row runs again and nothing it had is lost.
     *
     * @return the directory they are in now
     */
    static Path keepAside(Path out, Table1Row row, String name) throws IOException {
        RowFiles files = new RowFiles(out, row);
        Path aside = files.results.resolve(name);
        Files.createDirectories(aside);
        try (var found = Files.list(files.results)) {
            for (Path f : found.filter(p -> p.getFileName().toString().matches(RESULT_FILES)).toList()) {
                Files.move(f, aside.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return aside;
    }

    /** Whether the row has finished or started its selection (a row file, a seed file or a selection round). */
    static boolean hasResults(Path out, Table1Row row) throws IOException {
        RowFiles files = new RowFiles(out, row);
        if (!Files.isDirectory(files.results)) {
            return false;
        }
        try (var found = Files.list(files.results)) {
            return found.anyMatch(p -> p.getFileName().toString().matches(RESULT_FILES + "|" + SELECTION));
        }
    }

    /**
     * {@link #keepAside} and the row's selection rounds too ({@code rows/<row>/<name>/selection/}), so
     * that the row chooses again.
     *
     * @return the directory they are in now
     */
    static Path keepAsideWithSelection(Path out, Table1Row row, String name) throws IOException {
        Path aside = keepAside(out, row, name);
        Path selection = new RowFiles(out, row).results.resolve(SELECTION);
        if (Files.isDirectory(selection)) {
            Files.move(selection, aside.resolve(SELECTION), StandardCopyOption.ATOMIC_MOVE);
        }
        return aside;
    }

    Path roundFile(int round) {
        return results.resolve(SELECTION).resolve("round-" + (round + 1) + ".json");
    }

    Path screeningCheckFile(String ext) {
        return results.resolve("screening-check." + ext);
    }

    Path filtersPng() {
        return results.resolve("filters.png");
    }

    /** The MTC row's tangent figure (the paper's): test digits and their leading tangents from seed 1's stack. */
    Path tangentsPng() {
        return results.resolve("tangents.png");
    }

    /** A fine-tuning run of this row (see {@link FineTuneRun}). */
    Path candidateDir(long seed, Candidate c) {
        return checkpoints.resolve("seed-" + seed).resolve("candidates").resolve(c.id());
    }

    /**
     * One pretraining of layer {@code layer}: the regularisation value and the run's settings, every
     * length of it inside (see {@link SnapshotPretraining}).
     */
    Path pretrainDir(long seed, int layer, Candidate c) {
        return checkpoints.resolve("seed-" + seed).resolve("pretrain-layer" + layer).resolve(c.pretrainRunId());
    }

    /** The MTC's tangents of the training digits for one seed's encoder stack (see {@link MtcTangents}). */
    Path tangentsDir(long seed) {
        return checkpoints.resolve("seed-" + seed).resolve("tangents");
    }

    static Path snapshotFile(Path pretrainDir, int length) {
        return pretrainDir.resolve("e" + length + ".nd4j");
    }

    /** The lengths a finished pretraining in {@code dir} kept, or null when there is none. */
    static JsonNode pretrainRecord(Path dir) throws IOException {
        Path f = dir.resolve(RUN_RECORD);
        return Files.isRegularFile(f) ? read(f) : null;
    }

    /** Whether the pretraining in {@code dir} has a snapshot of {@code length} epochs. */
    static boolean hasSnapshot(Path dir, int length) throws IOException {
        JsonNode r = pretrainRecord(dir);
        if (r == null) {
            return false;
        }
        for (JsonNode s : r.get("snapshots")) {
            if (s.get("max_epochs").asInt() == length) {
                return true;
            }
        }
        return false;
    }

    /** The JSON report of the snapshot of {@code length} epochs. */
    static JsonNode snapshotReport(Path dir, int length) throws IOException {
        JsonNode r = pretrainRecord(dir);
        if (r != null) {
            for (JsonNode s : r.get("snapshots")) {
                if (s.get("max_epochs").asInt() == length) {
                    return s;
                }
            }
        }
        throw new IOException(dir + ": no pretraining snapshot of " + length + " epochs");
    }

    static JsonNode read(Path file) throws IOException {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": unreadable (" + e.getMessage() + "); delete it to redo that step", e);
        }
    }

    static void write(Path file, Map<String, Object> doc) throws IOException {
        ResultsWriter.writeJson(file, doc);
    }

    /** A study's directory holds one grid: {@code grid.json} is written on first use, and another grid is refused. */
    static void requireSameGrid(Path dir, Map<String, Object> grid) throws IOException {
        Path file = dir.resolve("grid.json");
        JsonNode wanted = JSON.readTree(JSON.writeValueAsString(grid));
        if (Files.isRegularFile(file)) {
            if (!read(file).equals(wanted)) {
                throw new IllegalArgumentException(dir + " holds an ablation of another grid (see " + file + "); move it away first");
            }
        } else {
            write(file, grid);
        }
    }

    /** A pretrained sigmoid autoencoder with a sigmoid cross-entropy decoder (every Table 1 row's kind). */
    static void saveAutoencoder(Path file, PretrainedAutoencoder ae) throws IOException {
        ModelFiles.writeAtomically(file, stream -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream))) {
                for (INDArray a : new INDArray[]{ae.W(), ae.b(), ae.decoderW(), ae.decoderB()}) {
                    Nd4j.write(a, out);
                }
            }
        });
    }

    static PretrainedAutoencoder loadAutoencoder(Path file) throws IOException {
        return loadAutoencoder(file, Activation.SIGMOID.getActivationFunction(), Activation.SIGMOID.getActivationFunction(),
                new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY));
    }

    /** A tied autoencoder pretrained with {@code opts} (its activations and reconstruction loss). */
    static PretrainedAutoencoder loadAutoencoder(Path file, LayerPretrainOptions opts) throws IOException {
        return loadAutoencoder(file, opts.activation(), opts.decoderActivation(), opts.reconstructionLoss());
    }

    private static PretrainedAutoencoder loadAutoencoder(Path file, IActivation activation, IActivation decoderActivation,
                                                         ILossFunction loss) throws IOException {
        INDArray[] a = new INDArray[4];
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            for (int i = 0; i < a.length; i++) {
                a[i] = Nd4j.read(in);
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": unreadable (" + e.getMessage() + "); delete its directory to pretrain that layer again", e);
        }
        return new PretrainedAutoencoder(a[0], a[1], activation, a[2], a[3], decoderActivation, loss);
    }

    /** 1-based epochs, as people count them. */
    static Map<String, Double> byEpoch(Map<Integer, Double> zeroBased) {
        Map<String, Double> m = new LinkedHashMap<>();
        new TreeMap<>(zeroBased).forEach((e, v) -> m.put(String.valueOf(e + 1), v));
        return m;
    }
}

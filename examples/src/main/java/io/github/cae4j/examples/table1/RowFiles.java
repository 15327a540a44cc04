package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.ResultsWriter;
import io.github.cae4j.io.ModelFiles;
import io.github.cae4j.losses.ContractiveLossFunction;
import io.github.cae4j.pretrain.LayerReport;
import io.github.cae4j.pretrain.PretrainedAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one row keeps what it has finished, so that a rerun with the same output directory skips
 * it: {@code rows/<row>/} holds the results (JSON, committed with the table) and
 * {@code checkpoints/<row>/} the models (binaries, never committed). Every file is written to a
 * temporary name and renamed, so a file that exists is whole.
 */
final class RowFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path results;
    private final Path checkpoints;

    RowFiles(Path out, Table1Row row) {
        this.results = out.resolve("rows").resolve(row.fileName());
        this.checkpoints = out.resolve("checkpoints").resolve(row.fileName());
    }

    Path resultFile() {
        return results.resolve("row.json");
    }

    Path screeningFile(Candidate c) {
        return results.resolve("screening").resolve(c.id() + ".json");
    }

    Path filtersPng() {
        return results.resolve("filters.png");
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

    /** A pretrained sigmoid autoencoder with a sigmoid cross-entropy decoder (every Table 1 row's kind). */
    void saveLayer(int layer, PretrainedAutoencoder ae, LayerReport report) throws IOException {
        Path file = checkpoints.resolve("layer-" + layer + ".nd4j");
        Files.createDirectories(checkpoints);
        Path tmp = Files.createTempFile(checkpoints, ".layer-", ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            for (INDArray a : new INDArray[]{ae.W(), ae.b(), ae.decoderW(), ae.decoderB()}) {
                Nd4j.write(a, out);
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        write(layerReportFile(layer), reportJson(report));
    }

    Path layerReportFile(int layer) {
        return checkpoints.resolve("layer-" + layer + ".json");
    }

    /** The layer saved by {@link #saveLayer}, or null when it was not finished. */
    Saved<PretrainedAutoencoder> loadLayer(int layer) throws IOException {
        Path file = checkpoints.resolve("layer-" + layer + ".nd4j");
        Path report = layerReportFile(layer);
        if (!Files.isRegularFile(file) || !Files.isRegularFile(report)) {
            return null;
        }
        INDArray[] a = new INDArray[4];
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            for (int i = 0; i < a.length; i++) {
                a[i] = Nd4j.read(in);
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": unreadable (" + e.getMessage() + "); delete it to pretrain that layer again", e);
        }
        PretrainedAutoencoder ae = new PretrainedAutoencoder(a[0], a[1], Activation.SIGMOID.getActivationFunction(), a[2], a[3],
                Activation.SIGMOID.getActivationFunction(),
                new ContractiveLossFunction(ContractiveLossFunction.Reconstruction.BINARY_CROSS_ENTROPY));
        return new Saved<>(ae, read(report));
    }

    void saveFinetuned(MultiLayerNetwork net, Map<String, Object> record) throws IOException {
        ModelFiles.saveAtomically(net, checkpoints.resolve("finetuned.zip"), false);
        write(checkpoints.resolve("finetune.json"), record);
    }

    Saved<MultiLayerNetwork> loadFinetuned() throws IOException {
        Path file = checkpoints.resolve("finetuned.zip");
        Path record = checkpoints.resolve("finetune.json");
        if (!Files.isRegularFile(file) || !Files.isRegularFile(record)) {
            return null;
        }
        return new Saved<>(ModelFiles.load(file, false), read(record));
    }

    /** Something a finished step saved, with the JSON it wrote beside it. */
    record Saved<T>(T value, JsonNode record) {
    }

    static Map<String, Object> reportJson(LayerReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layer", r.layer() + 1);
        m.put("n_in", r.nIn());
        m.put("n_out", r.nOut());
        m.put("lambda", r.lambda());
        m.put("masking_noise", r.corruptionLevel());
        m.put("gaussian_noise", r.gaussianNoise());
        m.put("heldout_reconstruction", r.heldOutReconstruction());
        m.put("heldout_mean_jacobian_fro", r.heldOutMeanJacobianNorm());
        m.put("epochs", r.epochs());
        m.put("best_epoch", r.bestEpoch() + 1);
        m.put("seconds", r.seconds());
        m.put("heldout_objective_by_epoch", byEpoch(r.heldOutScoreByEpoch()));
        return m;
    }

    /** 1-based epochs, as people count them. */
    static Map<String, Double> byEpoch(Map<Integer, Double> zeroBased) {
        Map<String, Double> m = new LinkedHashMap<>();
        new TreeMap<>(zeroBased).forEach((e, v) -> m.put(String.valueOf(e + 1), v));
        return m;
    }
}

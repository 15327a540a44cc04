package io.github.cae4j.examples.table1;

import io.github.cae4j.examples.data.MnistSplits;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every pretraining of a directory learns from: the training digits (unlabelled) and the
 * validation digits (its early stopping), as a SHA-256 of their FLOAT values, kept in
 * {@code <out>/pretraining-data.json}. Another directory's pretrainings are reused only when its
 * file names the same digits ({@link SharedPretrainings}).
 */
final class PretrainingData {

    private static final Logger log = LoggerFactory.getLogger(PretrainingData.class);
    static final String FILE = "pretraining-data.json";
    private static final int CHUNK = 5000;

    private PretrainingData() {
    }

    /** The fingerprint of {@code data}'s pretraining inputs. */
    static Map<String, Object> of(MnistSplits data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train_digits", data.trainX().size(0));
        m.put("validation_digits", data.validX().size(0));
        m.put("pixels", data.trainX().size(1));
        m.put("sha256", sha256(data.trainX(), data.validX()));
        m.put("of", "the training digits then the validation digits, FLOAT, row by row (what every pretraining reads)");
        return m;
    }

    /**
     * Writes the fingerprint into {@code dir} unless it is there; an existing one that differs is
     * kept (the directory's earlier steps used those digits) and named in a warning.
     */
    static void record(Path dir, Map<String, Object> fingerprint, String commit) throws IOException {
        Path f = dir.resolve(FILE);
        if (Files.isRegularFile(f)) {
            JsonNode old = RowFiles.read(f);
            if (!old.get("sha256").asText().equals(fingerprint.get("sha256"))) {
                log.warn("{}: this directory's earlier steps pretrained on other digits (sha256 {}) than this run's ({});"
                        + " its pretrainings will not be reused elsewhere for these digits", f, old.get("sha256").asText(), fingerprint.get("sha256"));
            }
            return;
        }
        Map<String, Object> doc = new LinkedHashMap<>(fingerprint);
        doc.put("git_commit", commit);
        RowFiles.write(f, doc);
    }

    /** The fingerprint recorded in {@code dir}, or null. */
    static JsonNode read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        return Files.isRegularFile(f) ? RowFiles.read(f) : null;
    }

    private static String sha256(INDArray... arrays) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
        for (INDArray a : arrays) {
            long n = a.size(0);
            // in chunks: one copy of 50,000 digits would be another 157 MB
            for (long r = 0; r < n; r += CHUNK) {
                float[] v = a.get(NDArrayIndex.interval(r, Math.min(n, r + CHUNK)), NDArrayIndex.all()).castTo(DataType.FLOAT).dup('c')
                        .data().asFloat();
                ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                md.update(b.array());
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}

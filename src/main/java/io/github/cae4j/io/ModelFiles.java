package io.github.cae4j.io;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Saving and loading {@link MultiLayerNetwork}s so that nothing is lost or half-loaded.
 *
 * <p>Saving writes a temporary file in the target's directory, forces it to disk and renames it
 * over the target in one atomic step: a crash or a failing write at any moment leaves either the
 * previous file or the new one, never a mixture, and no partial file under the final name.
 *
 * <p>Loading checks the file before DL4J sees it (present, a whole zip, the entries of a
 * MultiLayerNetwork, a configuration that names only allowed classes, see {@link ConfigurationJson})
 * and turns any failure into an {@link IOException} naming the file.
 */
public final class ModelFiles {

    static final String CONFIGURATION_ENTRY = "configuration.json";
    static final String COEFFICIENTS_ENTRY = "coefficients.bin";

    /** What writes the content of a file; used to save through any serializer. */
    @FunctionalInterface
    public interface ContentWriter {
        void write(OutputStream out) throws IOException;
    }

    private ModelFiles() {
    }

    /** Saves parameters, configuration and (if {@code withUpdater}) updater state, atomically. */
    public static void saveAtomically(MultiLayerNetwork net, Path file, boolean withUpdater) throws IOException {
        writeAtomically(file, out -> ModelSerializer.writeModel(net, out, withUpdater));
    }

    /** Writes {@code file} through a temporary sibling and an atomic rename. */
    public static void writeAtomically(Path file, ContentWriter writer) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create directory " + dir + " for " + target + ": " + e, e);
        }
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + "-", ".partial");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                writer.write(out);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically; choose another directory", e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** UTF-8 text, atomically. */
    public static void writeStringAtomically(Path file, String text) throws IOException {
        writeAtomically(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Loads a network saved by {@link #saveAtomically} or {@link ModelSerializer}.
     *
     * @param withUpdater also restore the updater state (to continue training exactly)
     * @throws FileNotFoundException when the file is missing
     * @throws IOException           naming the file when it is truncated, corrupt, not a
     *                               MultiLayerNetwork, or names a class outside the allowed packages
     */
    public static MultiLayerNetwork load(Path file, boolean withUpdater) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new FileNotFoundException(file + ": no such model file");
        }
        String configJson;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry conf = zip.getEntry(CONFIGURATION_ENTRY);
            if (conf == null || zip.getEntry(COEFFICIENTS_ENTRY) == null) {
                throw new IOException(file + ": not a DL4J model (expected zip entries " + CONFIGURATION_ENTRY + " and "
                        + COEFFICIENTS_ENTRY + ")");
            }
            try (InputStream in = zip.getInputStream(conf)) {
                configJson = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (ZipException e) {
            throw new IOException(file + ": truncated or corrupt model file (not a readable zip: " + e.getMessage() + ")", e);
        }
        try {
            ConfigurationJson.fromJson(configJson, file + "!" + CONFIGURATION_ENTRY);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        try {
            return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), withUpdater);
        } catch (Exception | AssertionError e) {
            throw new IOException(file + ": could not be loaded (" + ConfigurationJson.firstLine(e) + ")", e);
        }
    }
}

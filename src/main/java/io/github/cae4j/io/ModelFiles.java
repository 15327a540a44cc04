package io.github.cae4j.io;

import io.github.cae4j.layers.ContractiveDenseLayerImpl;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Saving and loading {@link MultiLayerNetwork}s so that nothing is lost or half-loaded.
 *
 * <p>Saving writes a temporary file in the target's directory, forces it to disk and renames it
 * over the target in one atomic step: a crash or a failing write at any moment leaves either the
 * previous file or the new one, never a mixture, and no partial file under the final name. The
 * file keeps the permissions of the one it replaces, and a partial file left by a killed save is
 * removed by the next save of the same file.
 *
 * <p>Loading checks the file before DL4J sees it (present, a whole zip, the entries of a
 * MultiLayerNetwork, a configuration that names only allowed classes, see {@link ConfigurationJson})
 * and turns any failure into an {@link IOException} naming the file.
 */
public final class ModelFiles {

    static final String CONFIGURATION_ENTRY = "configuration.json";
    static final String COEFFICIENTS_ENTRY = "coefficients.bin";
    private static final String PARTIAL = ".partial";
    /** Zip entries {@code cae4j-pretraining-updater-<layer>.bin}: see {@link #saveAtomically}. */
    static final String PRETRAINING_UPDATER_PREFIX = "cae4j-pretraining-updater-";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What writes the content of a file; used to save through any serializer. */
    @FunctionalInterface
    public interface ContentWriter {
        void write(OutputStream out) throws IOException;
    }

    private ModelFiles() {
    }

    /**
     * Saves parameters, configuration and (if {@code withUpdater}) updater state, atomically. The
     * updater state includes that of layer-wise pretraining, which DL4J keeps in each pretrained
     * layer rather than in the network's updater and {@code ModelSerializer} leaves out: for every
     * {@link ContractiveDenseLayerImpl} that has pretrained, one more zip entry (which DL4J's own
     * loader ignores), so that a pretraining saved midway continues exactly after {@link #load}.
     */
    public static void saveAtomically(MultiLayerNetwork net, Path file, boolean withUpdater) throws IOException {
        Map<Integer, INDArray> pretraining = withUpdater ? pretrainingStates(net) : Map.of();
        if (pretraining.isEmpty()) {
            writeAtomically(file, out -> ModelSerializer.writeModel(net, out, withUpdater));
            return;
        }
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, model, true);
        writeAtomically(file, out -> {
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(model.toByteArray()));
                 ZipOutputStream zip = new ZipOutputStream(out)) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    zip.putNextEntry(new ZipEntry(e.getName()));
                    in.transferTo(zip);
                    zip.closeEntry();
                }
                for (Map.Entry<Integer, INDArray> e : pretraining.entrySet()) {
                    zip.putNextEntry(new ZipEntry(PRETRAINING_UPDATER_PREFIX + e.getKey() + ".bin"));
                    DataOutputStream data = new DataOutputStream(zip);
                    Nd4j.write(e.getValue(), data);
                    data.flush();       // not closed: that would close the zip
                    zip.closeEntry();
                }
            }
        });
    }

    /** The layer-wise pretraining optimiser states of the network's contractive layers that have one, by layer index. */
    private static Map<Integer, INDArray> pretrainingStates(MultiLayerNetwork net) {
        Map<Integer, INDArray> states = new TreeMap<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            if (net.getLayer(i) instanceof ContractiveDenseLayerImpl layer) {
                INDArray state = layer.pretrainingUpdaterState();
                if (state != null && state.length() > 0) {
                    states.put(i, state);
                }
            }
        }
        return states;
    }

    /** Gives each contractive layer the pretraining optimiser state saved for it by {@link #saveAtomically}. */
    private static void restorePretrainingStates(MultiLayerNetwork net, Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (!e.getName().startsWith(PRETRAINING_UPDATER_PREFIX)) {
                    continue;
                }
                String index = e.getName().substring(PRETRAINING_UPDATER_PREFIX.length()).replace(".bin", "");
                int i;
                try {
                    i = Integer.parseInt(index);
                } catch (NumberFormatException bad) {
                    throw new IOException(file + ": unexpected entry " + e.getName());
                }
                if (i < 0 || i >= net.getnLayers() || !(net.getLayer(i) instanceof ContractiveDenseLayerImpl layer)) {
                    throw new IOException(file + ": entry " + e.getName() + " holds a pretraining updater state for layer " + i
                            + ", which is not a ContractiveDenseLayer of this " + net.getnLayers() + "-layer network");
                }
                try (DataInputStream in = new DataInputStream(zip.getInputStream(e))) {
                    layer.restorePretrainingUpdaterState(Nd4j.read(in));
                } catch (IllegalArgumentException | IllegalStateException bad) {
                    throw new IOException(file + "!" + e.getName() + ": " + bad.getMessage(), bad);
                }
            }
        }
    }

    /**
     * Writes {@code file} through a temporary sibling and an atomic rename. The file keeps the
     * permissions of the file it replaces; a new file gets the default ones (the umask's). The
     * temporary file is named {@code .<name>.<digits>.partial}; those a killed save left behind for
     * this target are deleted before writing, so they never pile up. Saving the same file from two
     * processes at once is not supported: one of them may then fail, but the file is never mixed.
     */
    public static void writeAtomically(Path file, ContentWriter writer) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create directory " + dir + " for " + target + ": " + e, e);
        }
        String name = target.getFileName().toString();
        deleteStalePartials(dir, name);
        Path tmp = createPartial(dir, name);
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                writer.write(out);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            keepPermissions(target, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically; choose another directory", e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A new empty {@code .<name>.<digits>.partial} with default permissions (unlike
     * {@code Files.createTempFile}, which makes it owner-only, and the rename would keep that).
     */
    private static Path createPartial(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(RANDOM.nextLong()) + PARTIAL);
            try {
                Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** Partial files of {@code name} left by killed saves (also the {@code .<name>-<digits>.partial} of cae4j 0.1.0 builds before this one). */
    private static void deleteStalePartials(Path dir, String name) throws IOException {
        Pattern stale = Pattern.compile(Pattern.quote("." + name) + "[.-][0-9]+" + Pattern.quote(PARTIAL));
        DirectoryStream.Filter<Path> ofThisTarget = p -> stale.matcher(p.getFileName().toString()).matches();
        try (DirectoryStream<Path> partials = Files.newDirectoryStream(dir, ofThisTarget)) {
            for (Path p : partials) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Gives {@code tmp} the POSIX permissions of the file it is about to replace, if there is one. */
    private static void keepPermissions(Path target, Path tmp) throws IOException {
        if (!Files.isRegularFile(target)
                || !Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
    }

    /** UTF-8 text, atomically. */
    public static void writeStringAtomically(Path file, String text) throws IOException {
        writeAtomically(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Loads a network saved by {@link #saveAtomically} or {@link ModelSerializer}.
     *
     * @param withUpdater also restore the updater state (to continue training exactly). A file
     *                    saved without updater state is then refused if the network's updater keeps
     *                    state (Adam, Nesterovs, ...), instead of silently starting it from zero;
     *                    pass false to load such a file with a fresh updater state.
     * @throws FileNotFoundException when the file is missing
     * @throws IOException           naming the file when it is a directory or not a regular file, is
     *                               truncated, corrupt, not a MultiLayerNetwork, names a class outside
     *                               the allowed packages, or lacks the updater state asked for
     */
    public static MultiLayerNetwork load(Path file, boolean withUpdater) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, not a model file");
        }
        if (!Files.exists(file)) {
            throw new FileNotFoundException(file + ": no such model file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": not a regular file, so not a model file");
        }
        String configJson;
        boolean hasUpdaterState;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry conf = zip.getEntry(CONFIGURATION_ENTRY);
            if (conf == null || zip.getEntry(COEFFICIENTS_ENTRY) == null) {
                throw new IOException(file + ": not a DL4J model (expected zip entries " + CONFIGURATION_ENTRY + " and "
                        + COEFFICIENTS_ENTRY + ")");
            }
            hasUpdaterState = zip.getEntry(ModelSerializer.UPDATER_BIN) != null;
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
        MultiLayerNetwork net;
        try {
            net = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), withUpdater);
        } catch (Exception | AssertionError e) {
            throw new IOException(file + ": could not be loaded (" + ConfigurationJson.firstLine(e) + ")", e);
        }
        if (withUpdater) {
            restorePretrainingStates(net, file);
        }
        if (withUpdater && !hasUpdaterState) {
            // DL4J writes no entry for updaters without state (Sgd, NoOp): nothing is missing then
            INDArray state = net.getUpdater().getStateViewArray();
            if (state != null && state.length() > 0) {
                throw new IOException(file + ": has no updater state (it was saved without it), but withUpdater=true "
                        + "was asked and the network's updater keeps " + state.length() + " state values; load it with "
                        + "withUpdater=false to continue with a fresh updater state");
            }
        }
        return net;
    }
}

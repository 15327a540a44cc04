package io.github.cae4j.io;

import io.github.cae4j.testing.Exact;
import io.github.cae4j.testing.TinyNets;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFilesTest {

    @TempDir
    Path dir;

    private static MultiLayerNetwork trained() {
        MultiLayerNetwork net = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.3, new Adam(1e-2), 3);
        DataSet ds = TinyNets.autoencoderData(16, 6, 4);
        for (int i = 0; i < 3; i++) {
            net.fit(ds);
        }
        return net;
    }

    @Test
    void savedModelLoadsWithIdenticalParametersUpdaterAndOutputs() throws IOException {
        MultiLayerNetwork net = trained();
        Path file = dir.resolve("model.zip");
        ModelFiles.saveAtomically(net, file, true);

        MultiLayerNetwork back = ModelFiles.load(file, true);
        Exact.assertBitIdentical(net.params(), back.params(), "parameters");
        Exact.assertBitIdentical(net.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray(), "updater state");
        DataSet ds = TinyNets.autoencoderData(5, 6, 9);
        Exact.assertBitIdentical(net.output(ds.getFeatures()), back.output(ds.getFeatures()), "outputs");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the model file, no temporary left");
        }
    }

    @Test
    void aSaveThatFailsHalfWayLeavesThePreviousFileIntact() throws IOException {
        Path file = dir.resolve("model.zip");
        ModelFiles.saveAtomically(trained(), file, true);
        byte[] before = Files.readAllBytes(file);

        IOException e = assertThrows(IOException.class, () -> ModelFiles.writeAtomically(file, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full (simulated)");
        }));
        assertTrue(e.getMessage().contains("simulated"));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "the partial file was removed");
        }
        ModelFiles.load(file, true);
    }

    private static void assumePosix(Path dir) throws IOException {
        Assumptions.assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class),
                "POSIX permissions");
    }

    @Test
    void aReplacedModelKeepsItsPermissions() throws IOException {
        assumePosix(dir);
        Path file = dir.resolve("model.zip");
        MultiLayerNetwork net = trained();
        for (String mode : new String[]{"rw-r--r--", "rw-rw-r--", "rw-r-----"}) {
            ModelFiles.saveAtomically(net, file, true);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            ModelFiles.saveAtomically(net, file, true);
            assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
    }

    @Test
    void aNewModelGetsTheDefaultPermissions() throws IOException {
        assumePosix(dir);
        Path plain = Files.write(dir.resolve("plain"), new byte[0]);   // what the umask gives a new file
        Path file = dir.resolve("model.zip");
        ModelFiles.saveAtomically(trained(), file, false);
        ModelFiles.writeStringAtomically(dir.resolve("notes.txt"), "hello");
        Set<PosixFilePermission> umaskDefault = Files.getPosixFilePermissions(plain);
        assertEquals(umaskDefault, Files.getPosixFilePermissions(file));
        assertEquals(umaskDefault, Files.getPosixFilePermissions(dir.resolve("notes.txt")));
    }

    @Test
    void partialFilesOfKilledSavesAreRemovedByTheNextSave() throws IOException {
        Path file = dir.resolve("model.zip");
        // the name a save gives its temporary file, caught while it writes
        String[] partialName = new String[1];
        ModelFiles.writeAtomically(file, out -> {
            try (var files = Files.list(dir)) {
                partialName[0] = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".partial"))
                        .findFirst().orElseThrow();
            }
            out.write(1);
        });
        // a kill -9 mid-save leaves such files behind (also in the older ".model.zip-<digits>.partial" form)
        Files.write(dir.resolve(partialName[0]), new byte[4096]);
        Files.write(dir.resolve(".model.zip-8301945567.partial"), new byte[4096]);
        List<String> others = List.of(".other.zip.123.partial", ".model.zip.x.123.partial", "model.zip.123.partial", ".model.zip.backup");
        for (String other : others) {
            Files.write(dir.resolve(other), new byte[1]);
        }

        ModelFiles.saveAtomically(trained(), file, true);

        try (var files = Files.list(dir)) {
            List<String> left = files.map(p -> p.getFileName().toString()).sorted().toList();
            List<String> expected = new java.util.ArrayList<>(others);
            expected.add("model.zip");
            Collections.sort(expected);
            assertEquals(expected, left, "the partial files of model.zip are gone, other files stay");
        }
        ModelFiles.load(file, true);
    }

    @Test
    void askingForTheUpdaterStateOfAFileSavedWithoutItIsRefused() throws IOException {
        MultiLayerNetwork net = trained();
        Path file = dir.resolve("no-updater.zip");
        ModelFiles.saveAtomically(net, file, false);

        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(file, true));
        assertTrue(e.getMessage().startsWith(file + ": has no updater state") && e.getMessage().contains("withUpdater=false"),
                e.getMessage());
        MultiLayerNetwork back = ModelFiles.load(file, false);
        assertArrayEquals(net.params().toDoubleVector(), back.params().toDoubleVector(), 0.0);

        // an updater without state (Sgd) saves no state entry: nothing is missing, so nothing is refused
        MultiLayerNetwork sgd = TinyNets.autoencoder(6, 4, Activation.SIGMOID, 0.3, new Sgd(0.1), 3);
        Path sgdFile = dir.resolve("sgd.zip");
        ModelFiles.saveAtomically(sgd, sgdFile, true);
        assertArrayEquals(sgd.params().toDoubleVector(), ModelFiles.load(sgdFile, true).params().toDoubleVector(), 0.0);
    }

    @Test
    void aDirectoryIsReportedAsADirectory() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("model.zip"));
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(sub, false));
        assertEquals(sub + ": is a directory, not a model file", e.getMessage());
    }

    @Test
    void truncatedModelIsRefusedNamingTheFile() throws IOException {
        Path file = dir.resolve("model.zip");
        ModelFiles.saveAtomically(trained(), file, true);
        byte[] all = Files.readAllBytes(file);
        for (int keep : new int[]{0, 10, all.length / 2, all.length - 30}) {
            Files.write(file, Arrays.copyOf(all, keep));
            IOException e = assertThrows(IOException.class, () -> ModelFiles.load(file, true), "kept " + keep + " bytes");
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        }
    }

    @Test
    void missingGarbageAndForeignFilesAreRefused() throws IOException {
        assertThrows(FileNotFoundException.class, () -> ModelFiles.load(dir.resolve("nope.zip"), false));

        Path garbage = Files.writeString(dir.resolve("garbage.zip"), "this is not a zip");
        IOException g = assertThrows(IOException.class, () -> ModelFiles.load(garbage, false));
        assertTrue(g.getMessage().contains("truncated or corrupt"), g.getMessage());

        Path otherZip = dir.resolve("other.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(otherZip))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            zip.write("hello".getBytes());
        }
        IOException o = assertThrows(IOException.class, () -> ModelFiles.load(otherZip, false));
        assertTrue(o.getMessage().contains("not a DL4J model"), o.getMessage());

        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("d", new DenseLayer.Builder().nIn(3).nOut(2).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2).nOut(1).activation(Activation.IDENTITY).build(), "d")
                .setOutputs("out").build());
        graph.init();
        Path graphFile = dir.resolve("graph.zip");
        ModelSerializer.writeModel(graph, graphFile.toFile(), false);
        IOException c = assertThrows(IOException.class, () -> ModelFiles.load(graphFile, false));
        assertTrue(c.getMessage().contains("ComputationGraphConfiguration, not a MultiLayerConfiguration"), c.getMessage());
    }

    @Test
    void configurationNamingAForeignClassIsRefusedBeforeDl4jReadsIt() throws IOException {
        String json = trained().getLayerWiseConfigurations().toJson();
        assertEquals(trained().getLayerWiseConfigurations(), ConfigurationJson.fromJson(json, "ok"));

        String evil = json.replace("org.nd4j.linalg.activations.impl.ActivationSigmoid", "com.example.Gadget");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigurationJson.fromJson(evil, "evil.json"));
        assertTrue(e.getMessage().contains("evil.json: class \"com.example.Gadget\" at $.confs[0]")
                && e.getMessage().contains("org.deeplearning4j."), e.getMessage());

        IllegalArgumentException notJson = assertThrows(IllegalArgumentException.class, () -> ConfigurationJson.fromJson("{oops", "x"));
        assertTrue(notJson.getMessage().startsWith("x: not valid JSON"), notJson.getMessage());
        IllegalArgumentException cg = assertThrows(IllegalArgumentException.class, () -> ConfigurationJson.fromJson(
                new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                        .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2).nOut(1)
                                .activation(Activation.IDENTITY).build(), "in").setOutputs("out").build().toJson(), "g"));
        assertTrue(cg.getMessage().contains("ComputationGraphConfiguration"), cg.getMessage());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> ConfigurationJson.fromJson("{\"a\":1}", "y"));
        assertTrue(other.getMessage().contains("no \"confs\""), other.getMessage());

        Path file = dir.resolve("model.zip");
        ModelFiles.saveAtomically(trained(), file, false);
        // the same check guards model files: rewrite the configuration entry with the foreign class
        Path evilZip = dir.resolve("evil.zip");
        try (var in = new java.util.zip.ZipFile(file.toFile());
             var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(evilZip))) {
            for (var entries = in.entries(); entries.hasMoreElements(); ) {
                var entry = entries.nextElement();
                out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                out.write(entry.getName().equals("configuration.json") ? evil.getBytes() : bytes);
            }
        }
        IOException z = assertThrows(IOException.class, () -> ModelFiles.load(evilZip, false));
        assertTrue(z.getMessage().contains("com.example.Gadget"), z.getMessage());
    }
}

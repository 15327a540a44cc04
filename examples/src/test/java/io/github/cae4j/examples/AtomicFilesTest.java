package io.github.cae4j.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Whole files or none, and no temporary files left behind, whether a write fails or a killed one preceded it. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("table.json");
        AtomicFiles.writeString(file, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, tmp -> {
            Files.writeString(tmp, "half");
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("old", Files.readString(file));
        assertEquals(List.of("table.json"), names());
    }

    /** What a process killed mid-write leaves: createTempFile's name for the same target. The others' are kept. */
    @Test
    void theNextWriteOfAFileDeletesTheTemporaryFilesOfKilledWritesOfIt() throws IOException {
        Path file = dir.resolve("tangents-half.bin");
        Files.writeString(dir.resolve(".tangents-half.bin-8071620213518127401.tmp.bin"), "killed");
        Files.writeString(dir.resolve(".tangents-half.bin-42.tmp.bin"), "killed too");
        Files.writeString(dir.resolve(".other.bin-42.tmp.bin"), "another file's write, maybe running");
        Files.writeString(dir.resolve(".tangents-half.bin-notes.tmp.bin"), "not a temporary name");
        AtomicFiles.writeString(file, "whole");
        assertEquals("whole", Files.readString(file));
        assertEquals(List.of(".other.bin-42.tmp.bin", ".tangents-half.bin-notes.tmp.bin", "tangents-half.bin"), names());
    }

    @Test
    void aFileWithoutExtensionToo() throws IOException {
        Path file = dir.resolve("train-images-idx3-ubyte");
        Files.writeString(dir.resolve(".train-images-idx3-ubyte-123.tmp"), "killed");
        AtomicFiles.writeString(file, "images");
        assertEquals(List.of("train-images-idx3-ubyte"), names());
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}

package io.github.cae4j.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;

/**
 * Result files appear whole or not at all: each is written to a temporary file in the same
 * directory and renamed over the target, so an interrupted run never leaves a half-written file
 * under its final name. A failed write deletes its temporary file; one left by a process killed
 * while writing (a signal, a machine stop) is deleted by the next write of the same file, so
 * a rerun does not pile them up (the MTC's tangent file is 627 MB).
 */
public final class AtomicFiles {

    /** Writes the content of one file into the given (temporary) path. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path tmp) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code file} through {@code writer} into a temporary file beside it, then renames it over {@code file}. */
    public static void write(Path file, Writer writer) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = file.getFileName().toString();
        String prefix = "." + name + "-";
        String suffix = ".tmp" + (name.contains(".") ? name.substring(name.lastIndexOf('.')) : "");
        deleteStale(dir, prefix, suffix);
        Path tmp = Files.createTempFile(dir, prefix, suffix);
        try {
            writer.writeTo(tmp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                // createTempFile makes owner-only files; results are meant to be shared like any other output
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The temporary files of earlier writes of the same file: {@code createTempFile}'s names, the
     * prefix, a number, the suffix. Two processes writing one file at once are not supported anyway.
     */
    private static void deleteStale(Path dir, String prefix, String suffix) throws IOException {
        Pattern ofThisFile = Pattern.compile(Pattern.quote(prefix) + "[0-9]+" + Pattern.quote(suffix));
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, p -> ofThisFile.matcher(p.getFileName().toString()).matches())) {
            for (Path p : stale) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** {@link #write} of a UTF-8 string. */
    public static void writeString(Path file, String content) throws IOException {
        write(file, tmp -> Files.writeString(tmp, content, StandardCharsets.UTF_8));
    }
}

package io.github.cae4j.examples.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Loads a page in Debian's headless Chromium and returns the DOM after the page's load handlers ran
 * ({@code --dump-dom}). The flags keep Chromium off the network (this machine has none) and out of
 * the user's profile. Chromium is required, not optional: {@code .ci/run} installs it
 * ({@code apt-get install chromium}); set {@code CHROMIUM} to use another binary.
 */
public final class HeadlessChromium {

    private HeadlessChromium() {
    }

    public static String dumpDom(Path page) throws IOException, InterruptedException {
        String binary = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        if (!Files.isExecutable(Path.of(binary))) {
            throw new IllegalStateException("headless Chromium not found at " + binary
                    + ": install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM");
        }
        Path profile = Files.createTempDirectory("chromium-profile");
        Path out = Files.createTempFile("dom", ".html");
        try {
            Process p = new ProcessBuilder(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom", page.toUri().toString()))
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("Chromium did not finish loading " + page + " within 90 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("Chromium exited with " + p.exitValue() + " loading " + page);
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}

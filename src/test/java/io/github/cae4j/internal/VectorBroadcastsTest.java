package io.github.cae4j.internal;

import io.github.cae4j.testing.Exact;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ND4J's vector broadcasts let a temporary operand be freed while the native op reads it;
 * {@link VectorBroadcasts} keeps it, gives ND4J's numbers, and is the only way the library's sources broadcast.
 */
class VectorBroadcastsTest {

    @Test
    void givesNd4jsNumbersAndWritesInPlaceExactlyWhereNd4jDoes() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 7).addi(0.5);
        INDArray row = Nd4j.rand(DataType.DOUBLE, 1, 7).addi(0.5);
        INDArray column = Nd4j.rand(DataType.DOUBLE, 5, 1).addi(0.5);

        check("addiRowVector", x.dup().addiRowVector(row), x, a -> VectorBroadcasts.addiRowVector(a, row), true);
        check("muliRowVector", x.dup().muliRowVector(row), x, a -> VectorBroadcasts.muliRowVector(a, row), true);
        check("mulRowVector", x.dup().mulRowVector(row), x, a -> VectorBroadcasts.mulRowVector(a, row), false);
        check("muliColumnVector", x.dup().muliColumnVector(column), x, a -> VectorBroadcasts.muliColumnVector(a, column), true);
        check("mulColumnVector", x.dup().mulColumnVector(column), x, a -> VectorBroadcasts.mulColumnVector(a, column), false);
        check("diviColumnVector", x.dup().diviColumnVector(column), x, a -> VectorBroadcasts.diviColumnVector(a, column), true);
        check("subiColumnVector", x.dup().subiColumnVector(column), x, a -> VectorBroadcasts.subiColumnVector(a, column), true);
        check("subColumnVector", x.dup().subColumnVector(column), x, a -> VectorBroadcasts.subColumnVector(a, column), false);
    }

    private static void check(String name, INDArray expected, INDArray x, UnaryOperator<INDArray> op, boolean inPlace) {
        INDArray input = x.dup();
        INDArray result = op.apply(input);
        Exact.assertBitIdentical(expected, result, name);
        if (inPlace) {
            assertSame(input, result, name + " returns its input, changed");
        } else {
            Exact.assertBitIdentical(x, input, name + " leaves its input alone");
        }
    }

    /**
     * The race itself, in a JVM of its own that collects garbage every 20 ms: first through ND4J until it has
     * given 3 wrong products or 150 s have passed (at least one proves the probe sees the race on this machine),
     * then through VectorBroadcasts for four times the products ND4J needed per 3 wrong ones, where ND4J's rate
     * would give about 12 wrong ones (at most 240 s, and never fewer than ND4J's rate needs for 2): none may be wrong.
     */
    @Test
    void aTemporaryRowIsNotFreedWhileTheOpReadsIt() throws Exception {
        long[] nd4j = probe("nd4j", 150, 3, 0);
        System.out.println("VectorBroadcastsTest: ND4J directly, " + nd4j[1] + " wrong of " + nd4j[0] + " products");
        assertTrue(nd4j[1] >= 1, "ND4J's own broadcast gave no wrong product in " + nd4j[0] + " within 150 s; without the race"
                + " showing, this test cannot tell the fix from none");
        long perWrong = (nd4j[0] + nd4j[1] - 1) / nd4j[1];
        long products = Math.max(12 * perWrong, 200);
        long[] cae4j = probe("cae4j", 240, 1, products);
        System.out.println("VectorBroadcastsTest: through VectorBroadcasts, " + cae4j[1] + " wrong of " + cae4j[0] + " products");
        assertEquals(0, cae4j[1], "wrong products through VectorBroadcasts in " + cae4j[0] + " (ND4J: " + nd4j[1] + " in " + nd4j[0] + ")");
        assertTrue(cae4j[0] >= Math.min(products, 2 * perWrong), "the VectorBroadcasts run ended after " + cae4j[0]
                + " products, fewer than ND4J needed for 2 wrong ones (" + 2 * perWrong + ")");
    }

    /** @return {products, wrong} */
    private static long[] probe(String mode, long seconds, long stopAtWrong, long maxProducts) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), BroadcastRaceProbe.class.getName(),
                mode, Long.toString(seconds), Long.toString(stopAtWrong), Long.toString(maxProducts)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(seconds + 120, TimeUnit.SECONDS), "probe " + mode + " did not end");
        assertEquals(0, process.exitValue(), "probe " + mode + " failed:\n" + tail(output));
        Matcher m = Pattern.compile("products=(\\d+) wrong=(\\d+)").matcher(output);
        assertTrue(m.find(), "no result line from probe " + mode + ":\n" + tail(output));
        return new long[]{Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    private static String tail(String output) {
        return output.length() <= 4000 ? output : output.substring(output.length() - 4000);
    }

    /** A broadcast written straight against ND4J anywhere in the library would reopen the race. */
    @Test
    void theLibrarysSourcesBroadcastOnlyThroughVectorBroadcasts() throws IOException {
        Pattern call = Pattern.compile("\\.(add|sub|rsub|mul|div|rdiv)i?(Row|Column)Vector\\(");
        List<String> found = new ArrayList<>();
        Path sources = Paths.get("src", "main", "java");
        assertTrue(Files.isDirectory(sources), "run from the library's directory: " + sources.toAbsolutePath());
        int files = 0;
        try (Stream<Path> paths = Files.walk(sources)) {
            for (Path file : (Iterable<Path>) paths.filter(p -> p.toString().endsWith(".java"))::iterator) {
                files++;
                if (file.getFileName().toString().equals("VectorBroadcasts.java")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).replaceAll("//.*", "").replaceAll("VectorBroadcasts\\.\\w+\\(", "");
                    if (!code.trim().startsWith("*") && call.matcher(code).find()) {
                        found.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertTrue(files > 50, "found only " + files + " source files");
        assertEquals(List.of(), found);
    }
}

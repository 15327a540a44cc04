package io.github.cae4j.examples.training;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where two network configurations differ, as JSON paths with both values, e.g.
 * {@code $.confs[0].layer.lambda: 0.5 vs 0.3}. Two kinds of fields in DL4J's JSON say nothing
 * about which network it is, and are ignored: its progress counters ({@code iterationCount},
 * {@code epochCount}) and the parameter names {@code init()} lists ({@code variables}).
 */
final class ConfigurationDiff {

    private static final Set<String> IGNORED = Set.of("iterationCount", "epochCount", "variables");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ConfigurationDiff() {
    }

    /** @return the differences, {@code "path: a vs b"}, in document order; empty when the two are the same network */
    static List<String> between(MultiLayerConfiguration a, MultiLayerConfiguration b) {
        List<String> out = new ArrayList<>();
        diff(tree(a), tree(b), "$", out);
        return out;
    }

    private static JsonNode tree(MultiLayerConfiguration conf) {
        try {
            return MAPPER.readTree(conf.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void diff(JsonNode a, JsonNode b, String path, List<String> out) {
        if (a == null || b == null || a.getNodeType() != b.getNodeType()) {
            out.add(path + ": " + a + " vs " + b);
        } else if (a.isObject()) {
            Set<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                if (!IGNORED.contains(key)) {
                    diff(a.get(key), b.get(key), path + "." + key, out);
                }
            }
        } else if (a.isArray()) {
            if (a.size() != b.size()) {
                out.add(path + ": " + a.size() + " vs " + b.size() + " entries");
                return;
            }
            Iterator<JsonNode> ia = a.elements();
            Iterator<JsonNode> ib = b.elements();
            for (int i = 0; ia.hasNext(); i++) {
                diff(ia.next(), ib.next(), path + "[" + i + "]", out);
            }
        } else if (!a.equals(b)) {
            out.add(path + ": " + a + " vs " + b);
        }
    }
}

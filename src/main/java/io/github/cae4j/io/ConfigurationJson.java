package io.github.cae4j.io;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link MultiLayerConfiguration} from JSON that may come from anywhere. DL4J's JSON names
 * Java classes in {@code "@class"} fields and Jackson instantiates whatever they name, so before
 * handing the text to DL4J every such name is checked against the packages of DL4J, ND4J and cae4j;
 * anything else (a gadget class, a typo, a foreign plug-in) is refused with its JSON path.
 */
public final class ConfigurationJson {

    /** Packages whose classes a configuration may name. */
    public static final List<String> ALLOWED_PACKAGES = List.of("org.deeplearning4j.", "org.nd4j.", "io.github.cae4j.");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ConfigurationJson() {
    }

    /**
     * @param source what the text is, for messages (a file name, "string")
     * @throws IllegalArgumentException naming the source and the problem: not JSON, not a
     *                                  MultiLayerConfiguration, a class outside {@link #ALLOWED_PACKAGES}, or rejected by DL4J
     */
    public static MultiLayerConfiguration fromJson(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(source + ": not valid JSON (" + firstLine(e) + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": expected a JSON object holding a MultiLayerConfiguration");
        }
        if (root.has("vertices") || root.has("networkInputs")) {
            throw new IllegalArgumentException(source + ": is a ComputationGraphConfiguration, not a MultiLayerConfiguration");
        }
        if (!root.has("confs") || !root.get("confs").isArray() || root.get("confs").size() == 0) {
            throw new IllegalArgumentException(source + ": not a MultiLayerConfiguration (no \"confs\" array of layers)");
        }
        checkClassNames(root, "$", source);
        MultiLayerConfiguration conf;
        try {
            conf = MultiLayerConfiguration.fromJson(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": DL4J could not read the configuration (" + firstLine(e) + ")", e);
        }
        checkLayers(conf, source);
        return conf;
    }

    /**
     * DL4J's JSON reader fills what is missing with null or 0 and only fails later, deep inside
     * {@code init()} (a NullPointerException for a missing weight init, for one); catch that here.
     */
    private static void checkLayers(MultiLayerConfiguration conf, String source) {
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            String who = source + ": layer " + i + " (" + (layer == null ? "missing" : layer.getClass().getSimpleName()) + ")";
            if (layer == null) {
                throw new IllegalArgumentException(who + " has no layer configuration");
            }
            if (conf.getConf(i).getOptimizationAlgo() == null) {
                throw new IllegalArgumentException(who + ": optimizationAlgo is missing from its configuration");
            }
            if (layer instanceof BaseLayer) {
                BaseLayer base = (BaseLayer) layer;
                if (base.getActivationFn() == null) {
                    throw new IllegalArgumentException(who + ": activation is missing");
                }
                if (base.getWeightInitFn() == null) {
                    throw new IllegalArgumentException(who + ": weightInit is missing");
                }
            }
            if (layer instanceof FeedForwardLayer) {
                FeedForwardLayer ff = (FeedForwardLayer) layer;
                if (ff.getNIn() <= 0 || ff.getNOut() <= 0) {
                    throw new IllegalArgumentException(who + ": nIn and nOut must be > 0, got nIn=" + ff.getNIn() + ", nOut=" + ff.getNOut());
                }
            }
        }
    }

    private static void checkClassNames(JsonNode node, String path, String source) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String at = path + "." + f.getKey();
                if (f.getKey().equals("@class")) {
                    String name = f.getValue().asText();
                    if (ALLOWED_PACKAGES.stream().noneMatch(name::startsWith)) {
                        throw new IllegalArgumentException(source + ": class \"" + name + "\" at " + at
                                + " is not allowed; configurations may only name classes in " + ALLOWED_PACKAGES);
                    }
                } else {
                    checkClassNames(f.getValue(), at, source);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkClassNames(node.get(i), path + "[" + i + "]", source);
            }
        }
    }

    static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}

package io.github.cae4j.bench;

import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.util.Map;

/** One result as a single line of JSON. */
final class JsonLine {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLine() {
    }

    static String of(Map<String, Object> fields) {
        try {
            return MAPPER.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

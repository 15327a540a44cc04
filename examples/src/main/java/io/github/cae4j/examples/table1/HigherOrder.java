package io.github.cae4j.examples.table1;

import io.github.cae4j.layers.ContractiveDenseLayer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CAE+H term of a candidate's pretraining ({@code ContractiveDenseLayer.Builder.higherOrder}):
 * strength gamma, noise standard deviation sigma and the number of noisy copies per example.
 * Checked here, when the protocol is built, so that a bad grid fails before any work.
 */
public record HigherOrder(double gamma, double sigma, int copies) {

    public HigherOrder {
        String who = "HigherOrder: ";
        if (!(Double.isFinite(gamma) && gamma > 0 && gamma <= ContractiveDenseLayer.MAX_GAMMA)) {
            throw new IllegalArgumentException(who + "gamma must be in (0, " + ContractiveDenseLayer.MAX_GAMMA
                    + "] (a CAE+H row without the term is the CAE row), got " + gamma);
        }
        if (!(Double.isFinite(sigma) && sigma > 0)) {
            throw new IllegalArgumentException(who + "sigma must be finite and > 0, got " + sigma);
        }
        if (copies < 1 || copies > ContractiveDenseLayer.MAX_CORRUPTED_COPIES) {
            throw new IllegalArgumentException(who + "copies must be in [1, " + ContractiveDenseLayer.MAX_CORRUPTED_COPIES + "], got " + copies);
        }
    }

    /** For ids: {@code gamma0.1-s0.1-c4}. */
    String id() {
        return "gamma" + Ids.number(gamma) + "-s" + Ids.number(sigma) + "-c" + copies;
    }

    /** For tables: {@code gamma 0.1 (sigma 0.1, 4 copies)}. */
    String label() {
        return "gamma " + Ids.number(gamma) + " (sigma " + Ids.number(sigma) + ", " + copies + " copies)";
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gamma", gamma);
        m.put("sigma", sigma);
        m.put("copies", copies);
        return m;
    }
}

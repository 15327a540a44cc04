package io.github.cae4j.examples;

import java.util.Arrays;
import java.util.Locale;

/**
 * The rows of the comparison. Every row ends as an MLP of the same shape as its pretrained
 * counterpart, fine-tuned on the same labelled digits with early stopping on the same validation split.
 */
public enum ModelRow {
    /** 784-h-10 sigmoid MLP from Xavier initialisation. */
    RANDOM_SIGMOID("random init (sigmoid)", 1),
    /** 784-h-10 ReLU MLP from Xavier initialisation, the strong baseline. */
    RANDOM_RELU("random init (ReLU)", 1),
    /** Pretrained with a plain tied autoencoder (lambda = 0). */
    AE("AE", 1),
    /** Pretrained with a denoising tied autoencoder (lambda = 0, masking noise), the paper's DAE baseline. */
    DAE("DAE", 1),
    /** Pretrained with a tied contractive autoencoder. */
    CAE("CAE", 1),
    /** DL4J 1.0.0-M2.1's built-in AutoEncoder layer, pretrained as it is (its gradient has the wrong sign). */
    DL4J_AUTOENCODER("DL4J AutoEncoder (as is)", 1),
    /** 784-h-h-10 sigmoid MLP from Xavier initialisation, the baseline for CAE-2. */
    RANDOM_SIGMOID_2("random init (sigmoid), 2 layers", 2),
    /** Two stacked CAEs, greedily pretrained. */
    CAE_2("CAE-2 (stacked)", 2);

    private final String label;
    private final int hiddenLayers;

    ModelRow(String label, int hiddenLayers) {
        this.label = label;
        this.hiddenLayers = hiddenLayers;
    }

    public String label() {
        return label;
    }

    public int hiddenLayers() {
        return hiddenLayers;
    }

    public boolean pretrained() {
        return this != RANDOM_SIGMOID && this != RANDOM_RELU && this != RANDOM_SIGMOID_2;
    }

    /** Case-insensitive, '-' and '_' interchangeable: {@code cae-2}, {@code random_relu}. */
    public static ModelRow parse(String name) {
        String key = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (ModelRow r : values()) {
            if (r.name().equals(key)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown row '" + name + "'; rows are "
                + Arrays.toString(Arrays.stream(values()).map(r -> r.name().toLowerCase(Locale.ROOT).replace('_', '-')).toArray()));
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

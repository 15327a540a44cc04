package io.github.cae4j.examples.table1;

import io.github.cae4j.pretrain.LayerPretrainOptions;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Locale;

/**
 * One point of a row's hyperparameter grid: the value of its regulariser (l2, sigma, p or lambda;
 * 0 for rows without one) and the fine-tuning learning rate.
 */
public record Candidate(Table1Row row, double regularization, double finetuneLr) {

    /** For file names: {@code lambda=0.3,lr=0.0001}. */
    public String id() {
        return String.format(Locale.ROOT, "%s=%s,lr=%s", row.regularizer().symbol(), regularization, finetuneLr);
    }

    /** How this candidate's autoencoder is pretrained (tied, sigmoid, summed cross-entropy, as in the paper). */
    public LayerPretrainOptions layerOptions(int hidden, double pretrainLr) {
        LayerPretrainOptions base = LayerPretrainOptions.cae(hidden, 0.0).withUpdater(new Adam(pretrainLr));
        return switch (row.regularizer()) {
            case NONE -> base;
            case WEIGHT_DECAY -> base.withL2(regularization);
            case GAUSSIAN_NOISE -> base.withGaussianNoise(regularization);
            case MASKING_NOISE -> base.withCorruptionLevel(regularization);
            case CONTRACTION -> base.withLambda(regularization);
        };
    }
}

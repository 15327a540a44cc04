package io.github.cae4j.examples.table1;

import java.util.Arrays;
import java.util.Locale;

/**
 * The rows of Table 1 of Rifai et al. (ICML 2011), MNIST column, plus the stacked CAE-2 the paper
 * leaves out of that table, the lab's two follow-ups (the higher-order CAE of Rifai et al., ECML-PKDD
 * 2011, and the Manifold Tangent Classifier of Rifai et al., NIPS 2011) and DL4J's built-in
 * AutoEncoder as a reference. Every row ends as an MLP fine-tuned on the same 50,000 labelled digits
 * with early stopping on the same validation digits.
 */
public enum Table1Row {
    /** 784-1000-10 sigmoid MLP from Xavier initialisation. */
    RANDOM("random init", "random", Double.NaN, Regularizer.NONE, 1),
    /** Tied autoencoder, no regularisation. */
    AE("AE", "ae", 1.78, Regularizer.NONE, 1),
    /** Tied autoencoder with L2 weight decay on W. */
    AE_WD("AE+wd", "ae+wd", 1.68, Regularizer.WEIGHT_DECAY, 1),
    /** Denoising autoencoder, additive Gaussian input noise. */
    DAE_G("DAE-g", "dae-g", 1.18, Regularizer.GAUSSIAN_NOISE, 1),
    /** Denoising autoencoder, masking (binary) noise. */
    DAE_B("DAE-b", "dae-b", 1.57, Regularizer.MASKING_NOISE, 1),
    /** Contractive autoencoder. */
    CAE("CAE", "cae", 1.14, Regularizer.CONTRACTION, 1),
    /** Two stacked CAEs (784-1000-1000-10): layer 1 is the CAE row's, layer 2 is pretrained on its codes. */
    CAE_2("CAE-2", "cae-2", Double.NaN, Regularizer.CONTRACTION, 2),
    /**
     * Higher-order CAE (CAE+H), one tied layer like the CAE row's; lambda and gamma chosen on validation.
     * The ECML-PKDD 2011 paper's MNIST figure for this setting was not found in any source read, hence NaN.
     */
    CAE_H("CAE+H", "cae-h", Double.NaN, Regularizer.CONTRACTION, 1),
    /**
     * Manifold Tangent Classifier (784-1000-1000-10): layer 1 is the CAE+H row's, layer 2 a CAE+H on its
     * codes, the tangents those of layer 2; fine-tuned with tangent propagation (beta, k chosen on validation).
     */
    MTC("MTC", "mtc", 0.81, Regularizer.TANGENT_PROP, 2),
    /** DL4J 1.0.0-M2.1's built-in AutoEncoder layer, pretrained as it is. */
    DL4J_AE("DL4J AutoEncoder (as is)", "dl4j-ae", Double.NaN, Regularizer.NONE, 1);

    /** What the row's regularisation hyperparameter is. */
    public enum Regularizer {
        NONE("-"), WEIGHT_DECAY("l2"), GAUSSIAN_NOISE("sigma"), MASKING_NOISE("p"), CONTRACTION("lambda"), TANGENT_PROP("beta");

        private final String symbol;

        Regularizer(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    private final String label;
    private final String id;
    private final double paperTestErrorPct;
    private final Regularizer regularizer;
    private final int hiddenLayers;

    Table1Row(String label, String id, double paperTestErrorPct, Regularizer regularizer, int hiddenLayers) {
        this.label = label;
        this.id = id;
        this.paperTestErrorPct = paperTestErrorPct;
        this.regularizer = regularizer;
        this.hiddenLayers = hiddenLayers;
    }

    /** The name as in the table. */
    public String label() {
        return label;
    }

    /** The name on the command line and in file names. */
    public String id() {
        return id;
    }

    /** Directory name: the id with '+' spelled out. */
    public String fileName() {
        return id.replace("+", "-");
    }

    /** The paper's MNIST test error (Table 1), NaN where the paper has no such row. */
    public double paperTestErrorPct() {
        return paperTestErrorPct;
    }

    /**
     * The paper's test error with {@code labels} labelled digits (0: all, as {@link #paperTestErrorPct()}):
     * the MTC paper's 3.64% with 1,000 labels; NaN for the rest (the CAE's figure in that table was not
     * read from a source, /work/shared/design/cae-papers.md).
     */
    public double paperTestErrorPct(int labels) {
        if (labels == 0) {
            return paperTestErrorPct;
        }
        return this == MTC && labels == 1000 ? 3.64 : Double.NaN;
    }

    public Regularizer regularizer() {
        return regularizer;
    }

    public int hiddenLayers() {
        return hiddenLayers;
    }

    public boolean pretrained() {
        return this != RANDOM;
    }

    /**
     * Whether the row's candidates carry a pretraining of their own: not random init, and not the MTC,
     * whose encoders are the CAE+H row's choice (its candidates differ in k, beta and the fine-tuner).
     */
    public boolean ownPretraining() {
        return this != RANDOM && this != MTC;
    }

    /** Case-insensitive; '+', '-' and '_' are interchangeable: {@code AE+wd}, {@code ae-wd}, {@code cae_2}. */
    public static Table1Row parse(String name) {
        String key = normalise(name);
        for (Table1Row r : values()) {
            if (normalise(r.id).equals(key) || normalise(r.name()).equals(key)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown row '" + name + "'; rows are "
                + Arrays.toString(Arrays.stream(values()).map(Table1Row::id).toArray()));
    }

    private static String normalise(String s) {
        return s.trim().toLowerCase(Locale.ROOT).replace('+', '-').replace('_', '-');
    }
}

package io.github.cae4j.bench;

/** A d-h-d autoencoder trained on minibatches of {@code batch} examples. */
record Shape(int nIn, int nOut, int batch) {

    Shape {
        if (nIn <= 0 || nOut <= 0 || batch <= 0) {
            throw new IllegalArgumentException("nIn, nOut and batch must be > 0, got " + nIn + ", " + nOut + ", " + batch);
        }
    }

    /** One [batch, nIn] x [nIn, nOut] product. */
    double gemmFlops() {
        return 2.0 * batch * nIn * nOut;
    }

    /**
     * A training step of the autoencoder needs five products of that size: encoder and decoder
     * forward, the decoder's weight gradient and epsilon, the encoder's weight gradient. The
     * closed-form contractive penalty adds only element-wise work to these.
     */
    double trainingStepFlops() {
        return 5 * gemmFlops();
    }

    /**
     * A CAE+H training step with {@code copies} noisy copies: the five products, plus per copy the
     * noise's product {@code εW} forward and its weight-gradient product {@code εᵀG̃} backward.
     */
    double higherOrderStepFlops(int copies) {
        return trainingStepFlops() + 2.0 * copies * gemmFlops();
    }
}

/**
 * The autoencoder's reconstruction term as a DL4J {@code ILossFunction}. The contractive penalty is
 * not here, because a loss function only sees the output layer; it lives in the encoder layer.
 */
package io.github.cae4j.losses;

/**
 * cae4j: contractive autoencoders (Rifai et al., ICML 2011) for Deeplearning4j.
 *
 * <p>Start with {@link io.github.cae4j.layers.ContractiveDenseLayer}, used like DL4J's
 * {@code DenseLayer}, and {@link io.github.cae4j.layers.DecoderOutputLayer} with a
 * {@link io.github.cae4j.losses.ContractiveLossFunction} for the decoder;
 * {@link io.github.cae4j.pretrain.GreedyLayerwisePretrainer} pretrains stacks of them for a classifier,
 * and {@link io.github.cae4j.diagnostics} measures how contractive an encoder is.
 */
package io.github.cae4j;


/**
 * The contractive dense layer: its configuration ({@link io.github.cae4j.layers.ContractiveDenseLayer},
 * where the math is written down), its runtime layer, its parameter layout, and the penalty's value and
 * gradients as pure functions of whole minibatches ({@link io.github.cae4j.internal.ContractivePenalty},
 * {@link io.github.cae4j.internal.ActivationDerivatives}); and the decoder to pair it with,
 * {@link io.github.cae4j.layers.DecoderOutputLayer}, DL4J's {@code OutputLayer} made cheaper for an
 * output as wide as the input.
 */
package io.github.cae4j.layers;

import io.github.cae4j.internal.ContractivePenalty;
import io.github.cae4j.internal.ActivationDerivatives;

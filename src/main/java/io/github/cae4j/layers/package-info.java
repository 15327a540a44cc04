/**
 * The contractive dense layer: its configuration ({@link io.github.cae4j.layers.ContractiveDenseLayer},
 * where the math is written down), its runtime layer, its parameter layout, and the penalty's value and
 * gradients as pure functions of whole minibatches ({@link io.github.cae4j.layers.ContractivePenalty},
 * {@link io.github.cae4j.layers.ActivationDerivatives}).
 */
package io.github.cae4j.layers;

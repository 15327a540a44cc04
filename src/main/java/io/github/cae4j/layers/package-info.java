/**
 * The layers a user puts in a DL4J network: {@link io.github.cae4j.layers.ContractiveDenseLayer}
 * (the encoder with the contractive penalty; its Javadoc writes the math down) and
 * {@link io.github.cae4j.layers.DecoderOutputLayer} (the decoder to pair it with: DL4J's
 * {@code OutputLayer} made cheaper for an output as wide as the input), and the two layers of tangent
 * propagation for the Manifold Tangent Classifier, {@link io.github.cae4j.layers.TangentPropDenseLayer}
 * and {@link io.github.cae4j.layers.TangentPropOutputLayer} (see {@code io.github.cae4j.tangents}).
 * Each configuration class has
 * a runtime class ({@code ...Impl}) that DL4J instantiates; the penalty's value and gradients are
 * pure functions of whole minibatches in {@code io.github.cae4j.internal}, which is not API.
 */
package io.github.cae4j.layers;

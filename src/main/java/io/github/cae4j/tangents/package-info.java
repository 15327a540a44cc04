/**
 * Manifold tangents and the Manifold Tangent Classifier (Rifai, Dauphin, Vincent, Bengio, Muller,
 * NIPS 2011). {@link io.github.cae4j.tangents.ManifoldTangents} computes, for each input, the leading
 * right singular vectors of a trained encoder stack's Jacobian: the directions along the data
 * manifold. {@link io.github.cae4j.tangents.ManifoldTangentClassifier} fine-tunes an MLP initialised
 * from the stack so that its softmax outputs barely change along them (tangent propagation), through
 * DL4J's own {@code fit}: {@link io.github.cae4j.tangents.TangentAppendingIterator} appends each
 * example's tangents to its features, and the layers {@link io.github.cae4j.layers.TangentPropDenseLayer}
 * and {@link io.github.cae4j.layers.TangentPropOutputLayer} carry them forward as directional
 * derivatives. docs/tangents.md has the formulas, the costs and why it is built this way.
 */
package io.github.cae4j.tangents;

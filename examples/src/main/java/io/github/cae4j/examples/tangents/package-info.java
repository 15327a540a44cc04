/**
 * The manifold-tangent example ({@code examples/run-tangents.sh}): a small CAE stack pretrained on
 * MNIST, the tangents of a few test digits drawn as in the Manifold Tangent Classifier paper, and an
 * optional validation-only comparison of MTC and CAE fine-tuning on a few labels (docs/tangents.md).
 */
package io.github.cae4j.examples.tangents;

/**
 * Not API: the layers' math, shared by the layers, the pretrainer and the diagnostics; it may change
 * in any release. The contractive penalty's value and gradients as functions of whole minibatches
 * ({@code ContractivePenalty}) and of the higher-order CAE's term ({@code HigherOrderPenalty}), exact
 * first and second derivatives of the supported activations ({@code ActivationDerivatives}), matrix
 * products written straight into row-major order ({@code RowMajorProduct}), the stack Jacobian as an
 * operator and small symmetric eigenproblems for the manifold tangents ({@code StackJacobian},
 * {@code SmallSymmetricEigen}), and forward-mode tangent propagation with its reverse pass
 * ({@code TangentPropagation}), whether DL4J discards a first layer's input gradient
 * ({@code DiscardedInputGradient}), and whether a forward pass kept for backprop is still readable
 * ({@code KeptArrays}), and ND4J's vector broadcasts with their operands kept reachable until the native op
 * returns ({@code VectorBroadcasts}). Public only because Java has no package-group visibility without modules;
 * it is left out of the Javadoc.
 */
package io.github.cae4j.internal;

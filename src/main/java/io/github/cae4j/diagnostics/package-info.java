/**
 * How contractive an encoder is, as in the paper: per-example Jacobian norms, the Jacobian's singular
 * values, the fraction of saturated units, and the contraction-ratio curve. They work for any dense
 * layer with a supported activation, so CAEs and their baselines are measured alike.
 */
package io.github.cae4j.diagnostics;

/**
 * The MNIST pretraining example ({@code examples/run-mnist.sh}): the semi-supervised comparison of
 * CAE pretraining with random initialisation, plain and denoising autoencoders and DL4J's
 * AutoEncoder, and the shared pieces the Table 1 reproduction ({@code table1}) builds on: baselines,
 * encoder diagnostics, result files and plots.
 */
package io.github.cae4j.examples;

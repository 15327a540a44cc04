/**
 * Short, runnable examples in the style of deeplearning4j-examples, each a plain {@code main} that
 * calls {@code run(Options)} and returns a small result: {@link io.github.cae4j.examples.quickstart.CaeMnistExample}
 * (a CAE with early stopping, a classifier on its encoder, ModelSerializer, DL4J's training UI),
 * {@link io.github.cae4j.examples.quickstart.StackedCaeExample} (greedy stacked pretraining and
 * fine-tuning) and {@link io.github.cae4j.examples.quickstart.CaeComputationGraphExample} (the layers in
 * a ComputationGraph, then TransferLearning). They read MNIST with DL4J's own MnistDataSetIterator from
 * a local directory ({@code scripts/fetch-mnist}); run one with {@code examples/run-example.sh NAME}.
 * See docs/examples.md.
 */
package io.github.cae4j.examples.quickstart;

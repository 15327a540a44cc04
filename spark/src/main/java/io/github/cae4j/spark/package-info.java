/**
 * cae4j networks trained on Apache Spark with DL4J's own {@code dl4j-spark}: parameter averaging
 * ({@link io.github.cae4j.spark.DistributedTraining}) over an RDD of minibatches that
 * {@link io.github.cae4j.spark.TrainingDataCheck} has checked, the CAE and the layer-wise stack built
 * from the library's pretraining options ({@link io.github.cae4j.spark.Autoencoders},
 * {@link io.github.cae4j.spark.LayerwiseSparkPretraining}), the one-JVM fit they are compared with
 * ({@link io.github.cae4j.spark.SingleMachineFit}), and the runnable example
 * ({@link io.github.cae4j.spark.SparkPretrainingExample}). How to run it on a cluster: docs/spark.md.
 */
package io.github.cae4j.spark;

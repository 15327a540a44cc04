/**
 * Training plumbing a user calls beside DL4J's fit: an in-memory iterator that reshuffles every epoch
 * reproducibly ({@link io.github.cae4j.training.ShuffledBatchIterator}), a divergence guard
 * ({@link io.github.cae4j.training.NonFiniteScoreGuard}),
 * an early-stopping runner that surfaces the errors DL4J's trainer swallows, and progress logging.
 */
package io.github.cae4j.training;

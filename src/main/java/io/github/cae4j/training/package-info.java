/**
 * Training plumbing shared by the pretrainer and the examples: an in-memory shuffling iterator,
 * an early-stopping runner that surfaces the errors DL4J's trainer swallows, and progress logging.
 */
package io.github.cae4j.training;

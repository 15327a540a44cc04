/**
 * Files that never lose a model: atomic saving ({@link io.github.cae4j.io.ModelFiles#saveAtomically}),
 * loading that refuses truncated, corrupt or foreign files with a clear message
 * ({@link io.github.cae4j.io.ModelFiles#load}), and configuration JSON restricted to DL4J's, ND4J's
 * and cae4j's classes ({@link io.github.cae4j.io.ConfigurationJson}).
 */
package io.github.cae4j.io;

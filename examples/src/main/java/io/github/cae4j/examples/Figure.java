package io.github.cae4j.examples;

import java.nio.file.Path;

/**
 * A PNG a run wrote and the caption that says what it shows.
 *
 * @param file    the PNG
 * @param caption what is plotted, in which units, and how to read it
 */
public record Figure(Path file, String caption) {
}

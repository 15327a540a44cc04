package io.github.cae4j.examples;

import picocli.CommandLine;

import java.io.IOException;

/** The examples' command lines: a bad flag value, missing data or a refused directory prints one clear line, no stack trace. */
public final class CleanErrors {

    private CleanErrors() {
    }

    /** {@code command} as a picocli command line whose IllegalArgumentException and IOException end in "error: message" and exit 1. */
    public static CommandLine commandLine(Object command) {
        CommandLine cli = new CommandLine(command);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IOException) {
                cmd.getErr().println("error: " + e.getMessage());
                cmd.getErr().flush();
                return 1;
            }
            throw e;
        });
        return cli;
    }
}

package io.github.flinkdbt.testing;

import io.github.flinkdbt.common.FlinkDbtException;

/** A test that could not run, in one line: the root cause (Flink's messages carry the useful part there). */
final class TestFailures {

    private TestFailures() {}

    static String describe(Throwable failure) {
        String message = FlinkDbtException.rootCause(failure);
        if (failure.getCause() != null
                && failure.getMessage() != null
                && failure.getMessage().contains("Failed to deserialize")) {
            message = "a given value does not fit its column: " + message;
        }
        if (message.contains("Cannot find a snapshot older than")) {
            message += " — the table was created, or replaced by a new definition, after that time";
        }
        return message;
    }
}

package io.github.flinkdbt.testing;

/** A test that could not run, in one line: the root cause (Flink's messages carry the useful part there). */
final class TestFailures {

    private TestFailures() {}

    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage().lines().findFirst().orElse("").strip();
        if (root != failure && failure.getMessage() != null && failure.getMessage().contains("Failed to deserialize")) {
            message = "a given value does not fit its column: " + message;
        }
        if (message.contains("Cannot find a snapshot older than")) {
            message += " — the table was created, or replaced by a new definition, after that time";
        }
        return message;
    }
}

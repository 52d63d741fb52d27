package io.github.flinkdbt.testing;

/**
 * The result of one test.
 *
 * @param kind {@code unit}, {@code data} or {@code singular}
 * @param model the model (or {@code source.table}) it tests; for singular tests the test itself
 * @param status one of {@link #PASS}, {@link #FAIL}, {@link #WARN}, {@link #ERROR}, {@link #SKIPPED}
 * @param message what failed (a diff, failing rows) or why it was skipped; empty when it passed
 * @param failures failing rows of a data test; rows that differ for a unit test
 * @param where the file and line that defines the test
 */
public record TestResult(
        String name,
        String kind,
        String model,
        String status,
        String message,
        long failures,
        long millis,
        String where) {

    public static final String PASS = "pass";
    public static final String FAIL = "fail";
    public static final String WARN = "warn";
    public static final String ERROR = "error";
    public static final String SKIPPED = "skipped";

    /** Whether it fails the build: a failure of severity error, or a test that could not run. */
    public boolean failed() {
        return status.equals(FAIL) || status.equals(ERROR);
    }
}

package io.github.flinkdbt.testing;

import java.util.List;

/** Every test's result, in the order they ran. */
public record TestOutcome(String project, String against, List<TestResult> results, long millis) {

    public long count(String status) {
        return results.stream().filter(r -> r.status().equals(status)).count();
    }

    public List<TestResult> failures() {
        return results.stream().filter(TestResult::failed).toList();
    }
}

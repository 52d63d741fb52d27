package io.github.flinkdbt.run;

import java.util.List;

/**
 * What a run did: every selected model's result, in the order they ran.
 *
 * @param testFailures the tests (severity error) that failed during the run, one line each
 */
public record RunOutcome(String project, List<ModelRun> models, List<String> testFailures, long millis) {

    public long count(String status) {
        return models.stream().filter(m -> m.status().equals(status)).count();
    }

    public List<ModelRun> failures() {
        return models.stream().filter(ModelRun::failed).toList();
    }
}

package io.github.flinkdbt.run;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * What running one model did.
 *
 * @param status {@code success}, {@code error} or {@code skipped}, as in dbt's run_results.json
 * @param jobId the Flink job, when the model ran one
 * @param rows rows written by this run, or -1 when the target cannot tell
 * @param message what happened, in a few words (the failure's cause for errors)
 */
public record ModelRun(
        String name,
        String materialization,
        String status,
        String jobId,
        long rows,
        long startedAtMillis,
        long millis,
        String message,
        String relation) {

    public static final String SUCCESS = "success";
    public static final String ERROR = "error";
    public static final String SKIPPED = "skipped";

    @JsonIgnore
    public boolean failed() {
        return status.equals(ERROR);
    }
}

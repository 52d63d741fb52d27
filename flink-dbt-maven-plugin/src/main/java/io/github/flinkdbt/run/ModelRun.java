package io.github.flinkdbt.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.github.flinkdbt.project.Model;

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

    /** What a model's run that started at {@code startedAtMillis} and ends now did. */
    static ModelRun ended(Model model, String status, String jobId, long rows, long startedAtMillis, String message) {
        return new ModelRun(
                model.name(),
                model.materialization().configName(),
                status,
                jobId,
                rows,
                startedAtMillis,
                System.currentTimeMillis() - startedAtMillis,
                message,
                model.relation().display());
    }

    @JsonIgnore
    public boolean failed() {
        return status.equals(ERROR);
    }
}

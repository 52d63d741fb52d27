package io.github.flinkdbt.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.flinkdbt.common.AtomicFiles;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.run.ModelRun;
import io.github.flinkdbt.run.RunOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code target/flink-dbt/run_results.json} in dbt's shape (one result per node: status,
 * timing, execution time, rows affected, message), plus the Flink job id per node.
 */
public final class RunResults {

    public static final String FILE = "run_results.json";

    private RunResults() {}

    public static Path write(Path outputDirectory, RunOutcome outcome, String pluginVersion) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        ObjectNode metadata = json.putObject("metadata");
        metadata.put("dbt_schema_version", "https://schemas.getdbt.com/dbt/run-results/v6.json");
        metadata.put("flink_dbt_version", pluginVersion);
        metadata.put("generated_at", Instant.now().toString());
        ArrayNode results = json.putArray("results");
        for (ModelRun run : outcome.models()) {
            ObjectNode result = results.addObject();
            String type = switch (run.materialization()) {
                case "seed", "snapshot" -> run.materialization();
                default -> "model";
            };
            result.put("unique_id", type + "." + outcome.project() + "." + run.name());
            result.put("status", run.status());
            ArrayNode timing = result.putArray("timing");
            if (!run.status().equals(ModelRun.SKIPPED)) {
                timing.addObject()
                        .put("name", "execute")
                        .put(
                                "started_at",
                                Instant.ofEpochMilli(run.startedAtMillis()).toString())
                        .put(
                                "completed_at",
                                Instant.ofEpochMilli(run.startedAtMillis() + run.millis())
                                        .toString());
            }
            result.put("thread_id", "main");
            result.put("execution_time", Double.parseDouble(String.format(Locale.ROOT, "%.3f", run.millis() / 1000.0)));
            ObjectNode adapter = result.putObject("adapter_response");
            adapter.put("_message", run.message());
            if (run.rows() >= 0) {
                adapter.put("rows_affected", run.rows());
            }
            if (run.jobId() != null) {
                adapter.put("job_id", run.jobId());
            }
            result.put("message", run.message());
            result.putNull("failures");
            result.put("relation_name", run.relation());
            result.put("materialization", run.materialization());
        }
        json.put("elapsed_time", outcome.millis() / 1000.0);
        Path file = outputDirectory.resolve(FILE);
        try {
            AtomicFiles.write(file, Json.write(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}

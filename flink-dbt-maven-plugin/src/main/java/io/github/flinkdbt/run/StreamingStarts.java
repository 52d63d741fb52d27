package io.github.flinkdbt.run;

import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.home.FlinkDbtHome;
import io.github.flinkdbt.planner.CompiledProject;
import io.github.flinkdbt.planner.PlannedModel;
import io.github.flinkdbt.project.Model;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.dag.Pipeline;

/**
 * Starts streaming models' jobs on a cluster as a deployer asks: from a given plan, under a job id it
 * chose, restoring a snapshot it names. The jobs are named and configured as {@code run} names and
 * configures them (state directories in the home), so either finds the other's jobs.
 */
public final class StreamingStarts {

    private final CompiledProject compiled;
    private final RunSession session;
    private final ModelExecutor executor;

    private StreamingStarts(CompiledProject compiled, RunSession session, BuildLog log) {
        this.compiled = compiled;
        this.session = session;
        this.executor = new ModelExecutor(session, compiled.project(), false, log);
    }

    public static StreamingStarts open(
            CompiledProject compiled,
            Settings settings,
            Invocation invocation,
            FlinkCluster cluster,
            FlinkDbtHome home) {
        RunSession session = RunSession.open(compiled.project(), settings, invocation, cluster, home);
        // the plans name the sources as catalog tables
        new SourceTables(session, compiled.project()).register();
        return new StreamingStarts(compiled, session, invocation.log());
    }

    /**
     * Submits {@code planJson} as the job of {@code model}; a job the cluster knows under {@code jobId}
     * already is not submitted again. One at a time: the submissions share one TableEnvironment.
     *
     * @param createTable create the model's table first when it does not exist (with the compiled
     *     model's columns); false for a plan other than the compiled one (a rollback)
     */
    public JobID start(String model, String planJson, JobID jobId, String restoreFrom, boolean createTable) {
        return start(prepare(model, planJson, createTable), jobId, restoreFrom);
    }

    /**
     * Everything of a start but the submission: the model's table (see {@link #start}) and its plan
     * translated into the job it becomes. A deployer prepares before it stops the running job, so
     * the job is down only for the submission.
     */
    public synchronized Prepared prepare(String model, String planJson, boolean createTable) {
        Model definition = compiled.project().model(model);
        if (createTable) {
            PlannedModel planned = compiled.result().models().get(model);
            executor.ensureTable(definition, planned, false);
        }
        return new Prepared(executor.translateStreaming(definition, planJson));
    }

    /** Submits a prepared plan as job {@code jobId}, restoring {@code restoreFrom} (null: without state). */
    public synchronized JobID start(Prepared prepared, JobID jobId, String restoreFrom) {
        return executor.submitTranslated(prepared.pipeline(), jobId, restoreFrom);
    }

    /** A plan translated for submission. */
    public record Prepared(Pipeline pipeline) {}

    /** The name every job of {@code model} carries on the cluster. */
    public static String jobName(String project, String model) {
        return ModelExecutor.jobName(project, model);
    }
}

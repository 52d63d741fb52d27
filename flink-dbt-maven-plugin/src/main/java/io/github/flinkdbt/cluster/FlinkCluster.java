package io.github.flinkdbt.cluster;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.RemoteAccess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.rest.messages.TriggerId;

/**
 * A Flink cluster, whatever runs it: the one way the project submits, stops and watches jobs. The
 * embedded cluster and any cluster reached over REST behave the same, since both are driven
 * through Flink's REST API.
 *
 * <p>The caller chooses the ids that make a step safe to repeat after a crash: a job's id (a second
 * submission of the same job is recognised, not run twice) and a savepoint's trigger id (asking
 * again gets the same savepoint, while the cluster remembers the trigger).
 */
public interface FlinkCluster extends AutoCloseable {

    /**
     * The cluster at {@code address}, or with none an embedded cluster started for the caller (its
     * REST API on {@code restPort}, 0 for a free one, with {@code slots} task slots). Closing it stops
     * an embedded cluster; a remote one only loses this client. A remote cluster must answer and run
     * the planner's Flink version, or nothing is submitted; it is reached with {@code access} (TLS,
     * headers) through a forwarder of this JVM when it needs either.
     */
    static FlinkCluster open(URI address, RemoteAccess access, int restPort, int slots, Hints hints) {
        if (address == null) {
            return EmbeddedCluster.start(restPort, slots, Map.of(), hints);
        }
        if (EmbeddedCluster.runsInThisJvm(address)) {
            return RestFlinkCluster.connect(address);
        }
        RemoteCluster.check(address, access, hints);
        return RestProxy.needed(address, access)
                ? RestFlinkCluster.through(address, RestProxy.start(address, access))
                : RestFlinkCluster.connect(address);
    }

    /** Whether this JVM runs the cluster (and its end ends the cluster). */
    boolean embedded();

    /**
     * Whether the cluster's tasks run in this JVM and load its classes (the project's and the
     * connectors); any other cluster has only Flink, and jobs carry their jars there.
     */
    boolean inThisJvm();

    /**
     * The artifact ids of the jars on the cluster's own classpath (as its JobManager reports them);
     * empty when it does not say.
     */
    Set<String> libraries();

    /** The REST API and web UI, e.g. {@code http://localhost:8081}. */
    URI restAddress();

    /** The Flink options that make a TableEnvironment submit its jobs (queries, bounded runs) here. */
    Map<String, String> submissionOptions();

    /**
     * Submits a job: its pipeline (a translated plan), with the id, restore and jars the submission
     * names. Returns the job's id; a job already known under that id is not submitted again.
     */
    JobID submit(Pipeline pipeline, Submission submission, ClassLoader classLoader);

    /**
     * Stops a job with a savepoint in {@code targetDirectory}; completes with the savepoint's
     * location. Asked again with the same trigger id, the cluster answers for the same savepoint.
     *
     * <p>With a {@code minPause} (the job's minimum pause between checkpoints), the stop waits for a
     * moment between two checkpoints first. Flink aborts a checkpoint still in flight when it stops a
     * job with a savepoint, and Iceberg's sink (1.11) then folds that checkpoint's files into the
     * savepoint's commit, where its equality deletes no longer apply to them: updated rows would be
     * there twice. {@link Duration#ZERO} stops at once.
     */
    CompletableFuture<String> stopWithSavepoint(
            JobID job, String targetDirectory, TriggerId trigger, Duration minPause);

    /**
     * Where a job is: its status and how many of its tasks are in each state, as the cluster's REST
     * API caches it (a change shows within its refresh interval, 3 s by default).
     */
    JobInfo job(JobID job);

    /** The checkpoints and savepoints a job completed, and the one it was restored from. */
    JobCheckpoints checkpoints(JobID job);

    /** The jobs the cluster knows whose names start with {@code namePrefix}, running or ended. */
    List<JobInfo> jobs(String namePrefix);

    /** The job's end: completes once it finished, failed or was cancelled (or stopped). */
    CompletableFuture<JobResult> result(JobID job);

    /**
     * The failures of a job since it started (each one that made it restart or fail), the first
     * one first.
     */
    List<JobFailure> failures(JobID job);

    /** Cancels a job (no savepoint); returns once the cluster accepted it, or at once when it ended already. */
    void cancel(JobID job);

    /** Deletes a savepoint the cluster's file systems can reach. */
    void disposeSavepoint(String location);

    @Override
    void close();

    /** What a job is, and whether every task of it runs. */
    record JobInfo(JobID id, String name, JobStatus status, Map<String, Integer> tasks) {

        /** Running, with every task running (none still deploying, initializing or failed). */
        public boolean allTasksRunning() {
            return status == JobStatus.RUNNING
                    && !tasks.isEmpty()
                    && tasks.entrySet().stream().allMatch(e -> e.getKey().equals("RUNNING") || e.getValue() == 0);
        }
    }

    /**
     * One failure of a job.
     *
     * @param exception the exception's class and message, e.g. {@code java.lang.ArithmeticException: / by zero}
     * @param task the task it happened in; null for a job-level failure
     * @param timestamp when, in epoch milliseconds
     */
    record JobFailure(String exception, String task, long timestamp) {}

    /**
     * One completed checkpoint or savepoint, or the one a job was restored from.
     *
     * @param takenByAStop a stop with savepoint took it: in a job that did not stop, the savepoint
     *     of a stop whose job failed after the savepoint was complete
     */
    record Checkpoint(long id, String externalPath, boolean savepoint, boolean takenByAStop) {}

    /** A job's latest completed checkpoint and savepoint, and what it was restored from. */
    record JobCheckpoints(
            Optional<Checkpoint> latestCompleted,
            Optional<Checkpoint> latestSavepoint,
            Optional<Checkpoint> restored) {}
}

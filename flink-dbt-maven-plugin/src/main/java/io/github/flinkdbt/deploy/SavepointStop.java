package io.github.flinkdbt.deploy;

import io.github.flinkdbt.cluster.ClusterUnreachable;
import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.FlinkFiles;
import io.github.flinkdbt.home.SavepointHistory;
import io.github.flinkdbt.state.OperatorCheck;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.rest.messages.TriggerId;
import org.apache.flink.runtime.scheduler.stopwithsavepoint.StopWithSavepointStoppingException;

/**
 * The stop of a model's running job with a savepoint, under the trigger id the journal recorded:
 * asked again after a crash, Flink answers with the same savepoint — or, once it forgot the
 * trigger's result, the stopped job's checkpoint history holds it.
 */
final class SavepointStop {

    /** Flink answered the stop, and not with a savepoint: asking again under the same trigger gets the same answer. */
    static final class Refused extends FlinkDbtException {
        private static final long serialVersionUID = 1L;

        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Duration CANCEL_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration POLL = Duration.ofMillis(250);

    private final FlinkCluster cluster;
    private final String model;
    private final Consumer<String> progress;

    SavepointStop(FlinkCluster cluster, String model, Consumer<String> progress) {
        this.cluster = cluster;
        this.model = model;
        this.progress = progress;
    }

    /**
     * The savepoint of the stop the journal's facts describe ({@code runningJob}, {@code triggerId},
     * {@code savepoints}).
     *
     * @throws Refused when the job runs on without a savepoint (nothing changed)
     * @throws ClusterUnreachable when the cluster did not answer (nothing can be concluded)
     */
    String take(Map<String, String> facts) {
        JobID running = JobID.fromHexString(facts.get("runningJob"));
        TriggerId trigger = TriggerId.fromHexString(facts.get("triggerId"));
        long start = System.nanoTime();
        try {
            String savepoint = cluster.stopWithSavepoint(running, facts.get("savepoints"), trigger, Duration.ZERO)
                    .get(10, TimeUnit.MINUTES);
            progress.accept(model + ": savepoint " + size(savepoint) + "in "
                    + (System.nanoTime() - start) / 100_000_000 / 10.0 + " s -> " + savepoint);
            return savepoint;
        } catch (ExecutionException e) {
            ClusterUnreachable unreachable = ClusterUnreachable.in(e);
            if (unreachable != null) {
                throw unreachable;
            }
            return fromHistory(running, e, new Path(facts.get("savepoints")).getParent());
        } catch (InterruptedException | TimeoutException e) {
            throw new ModelTransition.Stopped(
                    model + ": no savepoint of job " + running + " (" + e + "). Run the deploy"
                            + " again: it asks Flink for the same savepoint.",
                    e);
        }
    }

    /** After a stop that gave no savepoint: the one the stopped job's history holds, or why there is none. */
    private String fromHistory(JobID running, ExecutionException failure, Path stateDirectory) {
        String cause = FlinkDbtException.rootCause(failure);
        JobStatus status = status(running);
        if (status == JobStatus.FINISHED) {
            // stopped with its savepoint, but the cluster no longer knows the trigger (asked again after
            // its result expired): the job's checkpoint history holds the savepoint
            String savepoint = cluster.checkpoints(running)
                    .latestSavepoint()
                    .map(FlinkCluster.Checkpoint::externalPath)
                    .orElse(null);
            if (savepoint != null) {
                progress.accept(
                        model + ": savepoint found in the history of the stopped job " + running + " -> " + savepoint);
                return savepoint;
            }
        }
        String taken = status == null || status == JobStatus.FINISHED ? null : savepointOfTheStop(running, failure);
        if (taken != null) {
            return afterAStopThatDidNotStop(running, status, cause, taken, stateDirectory);
        }
        if (status != null && !status.isGloballyTerminalState()) {
            throw new Refused(
                    model + ": stopping job " + running + " with a savepoint failed: " + cause
                            + ". The job keeps running on its old plan; nothing changed.",
                    failure);
        }
        throw new ModelTransition.Stopped(
                model + ": the stop of job " + running + " gave no savepoint (" + cause + "), and the job is "
                        + (status == null ? "unknown to the cluster" : status) + ". Its last savepoint and"
                        + " checkpoints are kept; run the deploy again to go on from the ledger.",
                failure);
    }

    /**
     * The savepoint was complete, but a task failed as the job stopped (committing a sink's output,
     * closing an operator): Flink restarts such a job (StopWithSavepointStoppingException on the
     * adaptive scheduler, a global failover on the default one). It is cancelled — the new plan must
     * not run beside it — and its latest state is what the new plan restores: the stop's savepoint,
     * or a checkpoint the restarted job completed after it, whose output it may have committed.
     */
    private String afterAStopThatDidNotStop(
            JobID running, JobStatus status, String cause, String savepoint, Path stateDirectory) {
        progress.accept(model + ": job " + running + " took its savepoint but did not stop (" + cause + ")"
                + (status.isGloballyTerminalState() ? "" : "; cancelling it"));
        if (!status.isGloballyTerminalState()) {
            cluster.cancel(running);
            long deadline = System.nanoTime() + CANCEL_TIMEOUT.toNanos();
            while (!cluster.job(running).status().isGloballyTerminalState()) {
                if (System.nanoTime() > deadline) {
                    throw new ModelTransition.Stopped(
                            model + ": job " + running + " took its savepoint but did not stop, and it was not"
                                    + " cancelled within " + CANCEL_TIMEOUT.toSeconds() + " s. Cancel it"
                                    + " (flink cancel " + running + ") and run the deploy again: it restores"
                                    + " the job's latest state.",
                            null);
                }
                HealthGate.sleep(POLL);
            }
        }
        String latest = SavepointHistory.newerOf(stateDirectory, savepoint, running.toHexString());
        progress.accept(model + ": job " + running + " ended "
                + cluster.job(running).status() + "; its latest state"
                + (latest.equals(savepoint) ? ", the stop's savepoint" : ", a checkpoint after the stop's savepoint")
                + " -> " + latest);
        return latest;
    }

    /**
     * The savepoint a failed stop took before its job failed: named by the failure on the adaptive
     * scheduler, else the latest savepoint of the job's history if a stop took it; null when there is
     * none.
     */
    private String savepointOfTheStop(JobID running, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StopWithSavepointStoppingException stopping) {
                return stopping.getSavepointPath();
            }
        }
        return cluster.checkpoints(running)
                .latestSavepoint()
                .filter(FlinkCluster.Checkpoint::takenByAStop)
                .map(FlinkCluster.Checkpoint::externalPath)
                .orElse(null);
    }

    /** The savepoint's size and a space, as its files on the file system add up; empty when they cannot be read. */
    private static String size(String savepoint) {
        try {
            long bytes = 0;
            for (FileStatus file : FlinkFiles.list(new Path(savepoint))) {
                bytes += file.isDir() ? 0 : file.getLen();
            }
            return bytes > 0 ? OperatorCheck.size(bytes) + " " : "";
        } catch (RuntimeException unreadable) {
            return "";
        }
    }

    /** The job's status; null when the cluster does not know it. */
    private JobStatus status(JobID job) {
        try {
            return cluster.job(job).status();
        } catch (ClusterUnreachable unreachable) {
            throw unreachable;
        } catch (FlinkDbtException unknown) {
            return null;
        }
    }
}

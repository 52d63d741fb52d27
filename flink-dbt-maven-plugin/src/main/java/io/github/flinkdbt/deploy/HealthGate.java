package io.github.flinkdbt.deploy;

import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.cluster.FlinkCluster.Checkpoint;
import io.github.flinkdbt.cluster.FlinkCluster.JobCheckpoints;
import io.github.flinkdbt.cluster.FlinkCluster.JobFailure;
import io.github.flinkdbt.cluster.FlinkCluster.JobInfo;
import io.github.flinkdbt.common.FlinkDbtException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.fs.Path;

/**
 * Whether a job just started is healthy — not merely RUNNING, which a job says before its tasks
 * run, before it restored anything and between two restarts: every task runs, it restored the
 * savepoint it was given (not another, not nothing), it completed a checkpoint of its own after
 * that, and it has not failed once, for a whole window, within a timeout.
 */
public final class HealthGate {

    private static final Duration POLL = Duration.ofMillis(250);

    private final FlinkCluster cluster;
    private final Duration timeout;
    private final Duration window;

    /**
     * @param timeout how long a job may take to become healthy
     * @param window how long it must stay so (running, no failure) after its first checkpoint
     */
    public HealthGate(FlinkCluster cluster, Duration timeout, Duration window) {
        this.cluster = cluster;
        this.timeout = timeout;
        this.window = window;
    }

    /** What the gate found. */
    public sealed interface Verdict permits Healthy, Unhealthy {}

    /**
     * The job passed.
     *
     * @param running from the start of the wait until every task ran
     * @param checkpointed until its first checkpoint after the restore completed
     * @param checkpoint that checkpoint's id
     */
    public record Healthy(Duration running, Duration checkpointed, long checkpoint) implements Verdict {}

    /**
     * The job did not pass.
     *
     * @param reason why, in a sentence
     * @param firstFailure the job's first exception (its innermost cause); null when it never failed
     */
    public record Unhealthy(String reason, String firstFailure) implements Verdict {}

    /**
     * Watches {@code job} until it is healthy or cannot be any more.
     *
     * @param restoredFrom the savepoint or checkpoint it must have restored; null for a job that
     *     starts empty
     */
    public Verdict await(JobID job, String restoredFrom) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Duration running = null;
        Duration checkpointed = null;
        long checkpoint = -1;
        String waitingFor = "the job to run";
        while (System.nanoTime() < deadline) {
            JobInfo info = cluster.job(job);
            List<JobFailure> failures = cluster.failures(job);
            if (!failures.isEmpty()) {
                return new Unhealthy(
                        info.status().isGloballyTerminalState()
                                ? "it " + info.status().name().toLowerCase() + " after " + failures.size()
                                        + " failure(s)"
                                : "it failed " + failures.size() + " time(s) and restarted",
                        describe(failures.get(0)));
            }
            if (info.status().isGloballyTerminalState()) {
                return new Unhealthy("it ended (" + info.status() + ") instead of running", null);
            }
            if (info.allTasksRunning()) {
                if (running == null) {
                    running = since(start);
                }
                JobCheckpoints checkpoints = cluster.checkpoints(job);
                Optional<Checkpoint> restored = checkpoints.restored();
                Optional<Checkpoint> completed = checkpoints.latestCompleted();
                if (restoredFrom != null
                        && restored.isPresent()
                        && !samePlace(restored.get().externalPath(), restoredFrom)) {
                    return new Unhealthy(
                            "it restored " + restored.get().externalPath() + ", not " + restoredFrom, null);
                }
                if (restoredFrom != null && restored.isEmpty() && completed.isPresent()) {
                    return new Unhealthy("it started empty instead of restoring " + restoredFrom, null);
                }
                long after = restored.map(Checkpoint::id).orElse(0L);
                if (completed.isPresent() && completed.get().id() > after) {
                    if (checkpointed == null) {
                        checkpointed = since(start);
                        checkpoint = completed.get().id();
                    }
                    if (since(start).minus(checkpointed).compareTo(window) >= 0) {
                        return new Healthy(running, checkpointed, checkpoint);
                    }
                    waitingFor = "the end of the " + window.toSeconds() + " s window without a failure";
                } else {
                    waitingFor = restoredFrom == null ? "a first checkpoint" : "a checkpoint after the restore";
                }
            } else {
                waitingFor = "every task to run (" + info.tasks() + ")";
            }
            sleep(POLL);
        }
        return new Unhealthy(
                "it was not healthy within " + timeout.toSeconds() + " s: still waiting for " + waitingFor, null);
    }

    private static String describe(JobFailure failure) {
        return failure.exception() + (failure.task() == null ? "" : " (in " + failure.task() + ")");
    }

    /** Whether two snapshot locations name the same place ({@code file:/a} and {@code file:///a} do). */
    static boolean samePlace(String a, String b) {
        return normalized(a).equals(normalized(b));
    }

    private static String normalized(String location) {
        URI uri = new Path(location).toUri();
        String scheme = uri.getScheme() == null ? "file" : uri.getScheme();
        String path = uri.getPath().endsWith("/")
                ? uri.getPath().substring(0, uri.getPath().length() - 1)
                : uri.getPath();
        return scheme + "://" + (uri.getAuthority() == null ? "" : uri.getAuthority()) + path;
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkDbtException("Interrupted while watching a job", e);
        }
    }
}

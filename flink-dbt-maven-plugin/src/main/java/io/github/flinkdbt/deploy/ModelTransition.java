package io.github.flinkdbt.deploy;

import io.github.flinkdbt.cluster.ClusterUnreachable;
import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.cluster.FlinkCluster.JobFailure;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.home.ledger.DeployLock;
import io.github.flinkdbt.home.ledger.Ledger;
import io.github.flinkdbt.home.ledger.LedgerRecord;
import io.github.flinkdbt.home.ledger.LedgerRecord.Kind;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.rest.messages.TriggerId;

/**
 * One streaming model's change on a cluster, step by step, each step written to the ledger before
 * the cluster is asked to do it: the stop's trigger id before the stop, the savepoint the moment it
 * exists, the new job's id before it is submitted. A deployer that dies at any step leaves a
 * journal the next one {@link #resume}s from: it asks Flink again for the same savepoint, submits
 * the same job id again (recognised, never a second job), and ends, like the first would have,
 * with the new plan healthy and committed — or, when the new job does not pass the
 * {@link HealthGate}, with it cancelled and the previous plan running again from the same savepoint
 * (restored with NO_CLAIM, which leaves it in place).
 *
 * <p>An upgrade stops the running job with a savepoint and starts the next plan from it (or, for a
 * rollback, from the older savepoint its intent names: {@code restoreFrom}); a start
 * (a new model, a vanished job restored, a start without state) only starts the plan; a drop only
 * stops the job with a final savepoint.
 */
public final class ModelTransition {

    /** Where a test may stop the deployer dead: {@code before:<KIND>}, e.g. {@code before:SAVEPOINT_TAKEN}. */
    public static final String HALT_PROPERTY = "flink-dbt.test.halt";

    private static final String UPGRADE = "upgrade";
    private static final String ROLLBACK = "rollback";

    /**
     * A transition that ended here and whose message says what the next deploy does about it (its
     * journal left open for it, or the fix to make first).
     */
    static final class Stopped extends FlinkDbtException {
        private static final long serialVersionUID = 1L;

        Stopped(String message) {
            super(message);
        }

        Stopped(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A plan that can be started as a job of the cluster. */
    @FunctionalInterface
    public interface Generation {
        /** Submits the plan as job {@code id}, restoring {@code restoreFrom}. */
        void submit(JobID id, String restoreFrom);

        /** Does what can be done before the running job stops (translating the plan); throws when the plan cannot start. */
        default void prepare() {}

        /** What of the restored state the plan takes over, for the progress line (e.g. {@code 3/3 stateful operators restore}); empty when not known. */
        default String restores() {
            return "";
        }
    }

    /**
     * Where a transition ended.
     *
     * @param upgraded the new plan runs (or, for a drop, the job stopped); else the previous one runs
     *     again, or, when there was none, nothing does
     * @param job the job that runs now; null when none does
     * @param savepoint the savepoint both the new and (after a rollback) the old plan restored; the
     *     final savepoint of a drop
     * @param cause why the new plan was rolled back, with its first failure; null when upgraded
     * @param rolledBack the previous plan was started again (else, when not upgraded, nothing changed
     *     or nothing runs: see the cause)
     * @param replays the new plan had committed output (completed a checkpoint) before it was rolled
     *     back: the previous plan, from the same savepoint, writes that output again
     */
    public record Outcome(
            boolean upgraded, JobID job, String savepoint, String cause, boolean rolledBack, boolean replays) {

        Outcome(boolean upgraded, JobID job, String savepoint, String cause, boolean rolledBack) {
            this(upgraded, job, savepoint, cause, rolledBack, false);
        }
    }

    private final Ledger ledger;
    private final DeployLock.Lease lease;
    private final FlinkCluster cluster;
    private final HealthGate gate;
    private final String deployment;
    private final String model;
    private final Consumer<String> progress;
    private final Consumer<String> beforeRecord;

    /**
     * @param progress where progress lines go (savepoint taken, job submitted, health)
     * @param beforeRecord called before each record is written, with {@code before:<KIND>}: the
     *     point where a test stops the deployer dead
     */
    public ModelTransition(
            Ledger ledger,
            DeployLock.Lease lease,
            FlinkCluster cluster,
            HealthGate gate,
            String deployment,
            String model,
            Consumer<String> progress,
            Consumer<String> beforeRecord) {
        this.ledger = ledger;
        this.lease = lease;
        this.cluster = cluster;
        this.gate = gate;
        this.deployment = deployment;
        this.model = model;
        this.progress = progress;
        this.beforeRecord = beforeRecord;
    }

    /** Halts the JVM at the point {@link #HALT_PROPERTY} names: for tests that kill the deployer for real. */
    public static Consumer<String> haltPointFromSystemProperty() {
        String point = System.getProperty(HALT_PROPERTY);
        return step -> {
            if (step.equals(point)) {
                Runtime.getRuntime().halt(86);
            }
        };
    }

    /**
     * Upgrades the model from its running job to the next plan.
     *
     * @param running the model's job now (the previous plan)
     * @param savepoints where the stop's savepoint goes
     * @param facts what the ledger should know besides (the action's name, the plans' checksums)
     */
    public Outcome upgrade(
            JobID running,
            long generation,
            String savepoints,
            Generation next,
            Generation previous,
            Map<String, String> facts) {
        Map<String, String> intent = new HashMap<>(Map.of("action", "UPGRADE"));
        intent.putAll(facts);
        intent.putAll(Map.of(
                "runningJob",
                running.toHexString(),
                "generation",
                String.valueOf(generation),
                "savepoints",
                savepoints,
                "stop",
                "true"));
        record(Kind.INTENT, intent);
        try {
            next.prepare();
        } catch (RuntimeException e) {
            // the running job was not touched
            String cause = model + ": its new plan cannot be started (" + FlinkDbtException.rootCause(e)
                    + "). The job keeps running on its old plan; nothing changed.";
            record(Kind.FAILED, intent, Map.of("cause", cause));
            return new Outcome(false, running, null, cause, false);
        }
        return resume(next, previous);
    }

    /** {@link #upgrade} with nothing else to record. */
    public Outcome upgrade(JobID running, long generation, String savepoints, Generation next, Generation previous) {
        return upgrade(running, generation, savepoints, next, previous, Map.of());
    }

    /**
     * Starts the model's plan where no job of it runs: from {@code restoreFrom}, or empty when null.
     * A job that does not become healthy is cancelled: there is no earlier plan to go back to.
     *
     * @param facts what the ledger should know besides: the action's name, the plan's checksum
     */
    public Outcome start(long generation, String restoreFrom, Generation next, Map<String, String> facts) {
        Map<String, String> intent = new HashMap<>(facts);
        intent.put("generation", String.valueOf(generation));
        if (restoreFrom != null) {
            intent.put("savepoint", restoreFrom);
        }
        record(Kind.INTENT, intent);
        return resume(next, null);
    }

    /** Stops the model's job with a final savepoint in {@code savepoints}, which is kept. */
    public Outcome drop(JobID running, long generation, String savepoints, Map<String, String> facts) {
        Map<String, String> intent = new HashMap<>(facts);
        intent.putAll(Map.of(
                "runningJob",
                running.toHexString(),
                "generation",
                String.valueOf(generation),
                "savepoints",
                savepoints,
                "stop",
                "true",
                "drop",
                "true"));
        record(Kind.INTENT, intent);
        return resume(null, null);
    }

    /** Whether the ledger holds an upgrade of this model in this deployment that did not end. */
    public boolean interrupted() {
        List<LedgerRecord> journal = journal();
        if (journal.isEmpty()) {
            return false;
        }
        Kind last = journal.get(journal.size() - 1).kind();
        return last != Kind.COMMITTED && last != Kind.ROLLED_BACK && last != Kind.FAILED;
    }

    /** Goes on from the last step the ledger holds for this model in this deployment, to its end. */
    public Outcome resume(Generation next, Generation previous) {
        List<LedgerRecord> journal = journal();
        if (journal.isEmpty()) {
            throw new IllegalStateException("No upgrade of " + model + " in " + deployment + " to resume");
        }
        Map<String, String> facts = new HashMap<>();
        journal.forEach(record -> facts.putAll(record.facts()));
        Kind last = journal.get(journal.size() - 1).kind();
        while (true) {
            switch (last) {
                case INTENT ->
                    last = facts.containsKey("stop")
                            ? record(
                                    Kind.SAVEPOINT_TRIGGERED, facts, Map.of("triggerId", new TriggerId().toHexString()))
                            : submitting(facts);
                case SAVEPOINT_TRIGGERED -> {
                    String savepoint;
                    try {
                        savepoint = new SavepointStop(cluster, model, progress).take(facts);
                    } catch (ClusterUnreachable unreachable) {
                        throw waitForTheCluster(unreachable, "it asks Flink for the same savepoint");
                    } catch (SavepointStop.Refused refused) {
                        // the job runs on as it was; a later deployment starts afresh, with a new trigger
                        record(Kind.FAILED, facts, Map.of("cause", refused.getMessage()));
                        return new Outcome(
                                false, JobID.fromHexString(facts.get("runningJob")), null, refused.getMessage(), false);
                    }
                    last = record(Kind.SAVEPOINT_TAKEN, facts, Map.of("savepoint", savepoint));
                }
                case SAVEPOINT_TAKEN ->
                    last = facts.containsKey("drop") ? record(Kind.COMMITTED, facts, Map.of()) : submitting(facts);
                case JOB_SUBMITTING -> last = startAndWatch(facts, UPGRADE.equals(facts.get("role")) ? next : previous);
                case HEALTHY -> last = record(Kind.COMMITTED, facts, Map.of());
                case ROLLING_BACK -> {
                    cluster.cancel(JobID.fromHexString(facts.get("failedJob")));
                    if (previous == null || !facts.containsKey("runningJob")) {
                        last = record(Kind.FAILED, facts, Map.of());
                        continue;
                    }
                    last = record(
                            Kind.JOB_SUBMITTING,
                            facts,
                            Map.of("job", jobId(facts, ROLLBACK).toHexString(), "role", ROLLBACK));
                }
                case COMMITTED -> {
                    return new Outcome(
                            true, job(facts), facts.getOrDefault("restoreFrom", facts.get("savepoint")), null, false);
                }
                case FAILED -> {
                    return new Outcome(false, null, facts.get("savepoint"), facts.get("cause"), false);
                }
                case ROLLED_BACK -> {
                    return new Outcome(
                            false,
                            JobID.fromHexString(facts.get("job")),
                            facts.get("savepoint"),
                            facts.get("cause"),
                            true,
                            facts.containsKey("committedCheckpoint"));
                }
                default ->
                    throw new FlinkDbtException(model + ": the ledger's last step of " + deployment + " is " + last
                            + ", which an upgrade cannot go on from.");
            }
        }
    }

    private Kind submitting(Map<String, String> facts) {
        return record(
                Kind.JOB_SUBMITTING, facts, Map.of("job", jobId(facts, UPGRADE).toHexString(), "role", UPGRADE));
    }

    private static JobID job(Map<String, String> facts) {
        return facts.containsKey("job") && !facts.containsKey("drop") ? JobID.fromHexString(facts.get("job")) : null;
    }

    /**
     * A cluster that does not answer says nothing about the model's job: nothing is decided, the
     * journal stays where it is, and the next deploy goes on from there.
     *
     * @param next what the next deploy does first
     */
    private Stopped waitForTheCluster(ClusterUnreachable unreachable, String next) {
        return new Stopped(model + ": " + unreachable.getMessage() + " Nothing was decided: the ledger"
                + " holds the step deployment #" + deployment + " stopped at. When the cluster answers again, deploy"
                + " again: " + next + ".");
    }

    /** Submits the job the ledger names (again, if it was), and records whether it became healthy. */
    private Kind startAndWatch(Map<String, String> facts, Generation generation) {
        JobID job = JobID.fromHexString(facts.get("job"));
        boolean upgrade = UPGRADE.equals(facts.get("role"));
        // a plan whose state cannot restore starts empty; its rollback restores the savepoint all the same. A
        // rollback's plan restores the older savepoint it names; its own rollback, the one its stop took
        String savepoint = !upgrade
                ? facts.get("savepoint")
                : facts.containsKey("empty") ? null : facts.getOrDefault("restoreFrom", facts.get("savepoint"));
        HealthGate.Verdict verdict;
        try {
            generation.submit(job, savepoint);
            progress.accept(model + ": submitted job " + job + (upgrade ? "" : " (the previous plan)")
                    + (savepoint == null ? ", without state" : ", restoring " + savepoint)
                    + (savepoint == null || generation.restores().isEmpty() ? "" : " (" + generation.restores() + ")"));
            verdict = gate.await(job, savepoint);
        } catch (RuntimeException e) {
            ClusterUnreachable unreachable = ClusterUnreachable.in(e);
            if (unreachable != null) {
                throw waitForTheCluster(unreachable, "it finds job " + job + " (or submits it) and watches its health");
            }
            verdict = endedBefore(job, e);
        }
        if (verdict instanceof HealthGate.Healthy healthy) {
            progress.accept(model + ": RUNNING" + (savepoint == null ? "" : ", restored")
                    + ", first checkpoint completed (" + healthy.checkpointed().toMillis() / 1000.0 + " s)");
            return upgrade
                    ? record(Kind.HEALTHY, facts, Map.of("checkpoint", String.valueOf(healthy.checkpoint())))
                    : record(Kind.ROLLED_BACK, facts, Map.of());
        }
        HealthGate.Unhealthy unhealthy = (HealthGate.Unhealthy) verdict;
        String cause = unhealthy.reason() + (unhealthy.firstFailure() == null ? "" : ": " + unhealthy.firstFailure());
        if (!upgrade) {
            record(Kind.FAILED, facts, Map.of("rollbackCause", cause));
            throw new Stopped(
                    model + ": the previous plan did not run again either (" + cause + "). Its" + " savepoint "
                            + savepoint + " is kept: nothing of the state is lost. Fix the cause and deploy again.");
        }
        progress.accept(model + ": job " + job + " is not healthy (" + cause + "); rolling back");
        Map<String, String> rollingBack = new HashMap<>(Map.of("failedJob", job.toHexString(), "cause", cause));
        committedCheckpoint(job).ifPresent(id -> rollingBack.put("committedCheckpoint", String.valueOf(id)));
        return record(Kind.ROLLING_BACK, facts, rollingBack);
    }

    /**
     * The last checkpoint the job completed, when it completed one: its sinks committed output then,
     * which a rollback to the savepoint before it writes again. Empty also when the cluster cannot say.
     */
    private Optional<Long> committedCheckpoint(JobID job) {
        try {
            return cluster.checkpoints(job)
                    .latestCompleted()
                    .filter(checkpoint -> !checkpoint.savepoint())
                    .map(FlinkCluster.Checkpoint::id);
        } catch (FlinkDbtException unknown) {
            return Optional.empty();
        }
    }

    /** A job the ledger names, submitted before the deployer died, that ended since: its end is the verdict. */
    private HealthGate.Verdict endedBefore(JobID job, RuntimeException submitFailure) {
        FlinkCluster.JobInfo info;
        try {
            info = cluster.job(job);
        } catch (ClusterUnreachable unreachable) {
            throw waitForTheCluster(unreachable, "it finds job " + job + " (or submits it) and watches its health");
        } catch (FlinkDbtException unknown) {
            // never submitted: the plan does not start here (its tables, its classes)
            return new HealthGate.Unhealthy("it could not be submitted", FlinkDbtException.rootCause(submitFailure));
        }
        if (!info.status().isGloballyTerminalState()) {
            throw submitFailure;
        }
        List<JobFailure> failures = cluster.failures(job);
        return new HealthGate.Unhealthy(
                "it ended (" + info.status() + ")",
                failures.isEmpty() ? null : failures.get(0).exception());
    }

    /**
     * The job id of a model's generation in a deployment: the same on every re-run, so a submission
     * repeated after a crash is recognised; another for the rollback, since the cluster never takes
     * an id twice.
     */
    static JobID jobId(String deployment, String model, String generation, String role) {
        UUID uuid = UUID.nameUUIDFromBytes(
                (deployment + "/" + model + "/" + generation + "/" + role).getBytes(StandardCharsets.UTF_8));
        return new JobID(uuid.getLeastSignificantBits(), uuid.getMostSignificantBits());
    }

    private JobID jobId(Map<String, String> facts, String role) {
        return jobId(deployment, model, facts.get("generation"), role);
    }

    private List<LedgerRecord> journal() {
        return ledger.read().records().stream()
                .filter(r -> deployment.equals(r.deployment()) && model.equals(r.model()))
                .toList();
    }

    private Kind record(Kind kind, Map<String, String> facts) {
        beforeRecord.accept("before:" + kind);
        ledger.append(LedgerRecord.of(deployment, kind, model, facts), lease);
        return kind;
    }

    private Kind record(Kind kind, Map<String, String> known, Map<String, String> added) {
        known.putAll(added);
        return record(kind, added);
    }
}

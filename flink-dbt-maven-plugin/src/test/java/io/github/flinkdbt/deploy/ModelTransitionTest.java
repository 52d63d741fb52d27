package io.github.flinkdbt.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.RemoteAccess;
import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.cluster.Submission;
import io.github.flinkdbt.cluster.standalone.SharedCluster;
import io.github.flinkdbt.home.ledger.DeployLock;
import io.github.flinkdbt.home.ledger.Ledger;
import io.github.flinkdbt.home.ledger.LedgerRecord;
import io.github.flinkdbt.home.ledger.LedgerRecord.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model's upgrade on the standalone cluster with the deployer dying between its steps — after
 * the stop took the savepoint but before it was recorded, after the new job's id was recorded,
 * after the new job ran but before it was called healthy — and each time a new deployer going on
 * from the ledger alone: one savepoint, one new job, restored from it, committed. A new plan that
 * cannot start is rolled back to the previous one from the same savepoint, even when the deployer
 * dies half way through the rollback.
 */
@ExtendWith(SharedCluster.Resolver.class)
class ModelTransitionTest {

    private static final String COUNT = "INSERT INTO counts SELECT 1, COUNT(*) FROM ticks GROUP BY 1";

    @TempDir
    static Path dir;

    private static FlinkCluster cluster;
    private static String counting;

    @BeforeAll
    static void connect(SharedCluster shared) {
        cluster = FlinkCluster.open(shared.restUrl(), RemoteAccess.NONE, 0, 0, Hints.plain());
        counting = TestPipelines.plan(COUNT);
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        TestPipelines.cancelAll(cluster, "upgrade-", "rollback-", "expired-", "replay-");
        cluster.close();
    }

    /** A deployer killed at a step: stops as a dead JVM would, before the record is written. */
    private static final class Killed extends Error {
        Killed(String step) {
            super("killed " + step);
        }
    }

    private static Consumer<String> killAt(Set<String> steps) {
        return step -> {
            if (steps.contains(step)) {
                throw new Killed(step);
            }
        };
    }

    @Test
    void aDeployerKilledAtAnyStepIsFinishedByTheNextFromTheLedger() {
        Ledger ledger = Ledger.open(flinkPath(dir.resolve("ledger")));
        JobID running = start("upgrade-v1", counting, null);
        awaitRunning(running);
        ModelTransition.Generation next = (id, from) -> submit("upgrade-v2", counting, id, from);
        ModelTransition.Generation previous = (id, from) -> submit("upgrade-v1", counting, id, from);
        List<String> progress = Collections.synchronizedList(new ArrayList<>());

        // the savepoint exists, the ledger does not know where yet
        assertThatThrownBy(() -> upgrade(ledger, progress, killAt(Set.of("before:SAVEPOINT_TAKEN")))
                        .upgrade(
                                running,
                                2,
                                dir.resolve("savepoints-upgrade").toUri().toString(),
                                next,
                                previous))
                .isInstanceOf(Killed.class);
        // the new job's id is recorded, it was never submitted
        assertThatThrownBy(() -> upgrade(ledger, progress, killAt(Set.of("before:HEALTHY", "before:ROLLING_BACK")))
                        .resume(next, previous))
                .isInstanceOf(Killed.class);
        assertThat(progress).anyMatch(line -> line.startsWith("counter: submitted job"));
        // it ran and passed the gate, but was not called healthy: the next deployer submits it again (recognised)
        ModelTransition last = upgrade(ledger, progress, step -> {});
        assertThat(last.interrupted()).isTrue();
        ModelTransition.Outcome outcome = last.resume(next, previous);

        assertThat(outcome.upgraded()).isTrue();
        List<LedgerRecord> journal = ledger.read().records();
        assertThat(journal)
                .extracting(LedgerRecord::kind)
                .containsExactly(
                        Kind.INTENT,
                        Kind.SAVEPOINT_TRIGGERED,
                        Kind.SAVEPOINT_TAKEN,
                        Kind.JOB_SUBMITTING,
                        Kind.HEALTHY,
                        Kind.COMMITTED);
        // one savepoint, taken by the first deployer, restored by the job the second one submitted
        assertThat(journal.get(2).facts().get("savepoint")).isEqualTo(outcome.savepoint());
        // the stop was asked for twice under one trigger id: Flink took one savepoint
        assertThat(dir.resolve("savepoints-upgrade").toFile().list()).hasSize(1);
        assertRestoredFrom(outcome);
        assertThat(cluster.jobs("upgrade-v2"))
                .singleElement()
                .satisfies(job -> assertThat(job.id()).isEqualTo(outcome.job()));
        assertThat(cluster.job(running).status()).isEqualTo(JobStatus.FINISHED);
        assertThat(last.interrupted()).isFalse();
        cluster.cancel(outcome.job());
    }

    @Test
    void aNewPlanThatCannotStartIsRolledBackToThePreviousFromTheSameSavepoint() {
        Ledger ledger = Ledger.open(flinkPath(dir.resolve("ledger-rollback")));
        JobID running = start("rollback-v1", counting, null);
        awaitRunning(running);
        // its state has nowhere to go in the new plan: Flink refuses the restore
        String other = TestPipelines.plan("INSERT INTO counts SELECT CAST(id AS INT), COUNT(*) FROM ticks GROUP BY id");
        ModelTransition.Generation next = (id, from) -> submit("rollback-v2", other, id, from);
        ModelTransition.Generation previous = (id, from) -> submit("rollback-v1", counting, id, from);
        List<String> progress = Collections.synchronizedList(new ArrayList<>());

        assertThatThrownBy(() -> upgrade(ledger, progress, killAt(Set.of("before:ROLLED_BACK")))
                        .upgrade(running, 2, dir.resolve("savepoints").toUri().toString(), next, previous))
                .isInstanceOf(Killed.class);
        ModelTransition.Outcome outcome = upgrade(ledger, progress, step -> {}).resume(next, previous);

        assertThat(outcome.upgraded()).isFalse();
        assertThat(outcome.cause()).contains("Cannot map checkpoint/savepoint state");
        assertThat(ledger.read().records())
                .extracting(LedgerRecord::kind)
                .containsExactly(
                        Kind.INTENT,
                        Kind.SAVEPOINT_TRIGGERED,
                        Kind.SAVEPOINT_TAKEN,
                        Kind.JOB_SUBMITTING,
                        Kind.ROLLING_BACK,
                        Kind.JOB_SUBMITTING,
                        Kind.ROLLED_BACK);
        // the previous plan runs again, restored from the savepoint the upgrade took
        assertThat(cluster.job(outcome.job()).status()).isEqualTo(JobStatus.RUNNING);
        assertRestoredFrom(outcome);
        assertThat(progress).anyMatch(line -> line.contains("is not healthy") && line.contains("rolling back"));
        cluster.cancel(outcome.job());
    }

    @Test
    void aStopWhoseResultTheClusterForgotIsFoundInTheStoppedJobsHistory() throws InterruptedException {
        Ledger ledger = Ledger.open(flinkPath(dir.resolve("ledger-expired")));
        JobID running = start("expired-v1", counting, null);
        awaitRunning(running);
        ModelTransition.Generation next = (id, from) -> submit("expired-v2", counting, id, from);
        ModelTransition.Generation previous = (id, from) -> submit("expired-v1", counting, id, from);
        List<String> progress = Collections.synchronizedList(new ArrayList<>());
        String savepoints = dir.resolve("savepoints-expired").toUri().toString();

        // the savepoint exists, the ledger does not know where; the next deployer comes after the cluster
        // forgot the stop's result (the shared cluster keeps it SharedCluster.TRIGGER_RESULTS_SECONDS)
        assertThatThrownBy(() -> upgrade(ledger, progress, killAt(Set.of("before:SAVEPOINT_TAKEN")))
                        .upgrade(running, 2, savepoints, next, previous))
                .isInstanceOf(Killed.class);
        Thread.sleep((SharedCluster.TRIGGER_RESULTS_SECONDS + 3) * 1000L);
        ModelTransition.Outcome outcome = upgrade(ledger, progress, step -> {}).resume(next, previous);

        assertThat(progress)
                .anyMatch(line ->
                        line.startsWith("counter: savepoint found in the history of the stopped job " + running));
        assertThat(outcome.upgraded()).isTrue();
        // the one savepoint the stop took, restored by the new job
        assertThat(dir.resolve("savepoints-expired").toFile().list()).hasSize(1);
        assertRestoredFrom(outcome);
        cluster.cancel(outcome.job());
    }

    @Test
    void aNewPlanThatFailsAfterItCommittedOutputIsRolledBackSayingThatOutputIsWrittenAgain() {
        Ledger ledger = Ledger.open(flinkPath(dir.resolve("ledger-replay")));
        JobID running = start("replay-v1", counting, null);
        awaitRunning(running);
        // checkpoints complete (its sinks commit), then every record fails: a restart within the health window
        String failingLater = TestPipelines.plan(
                "INSERT INTO counts SELECT 1, COUNT(*) FROM ticks WHERE CAST(CASE WHEN CURRENT_TIMESTAMP >"
                        + " TO_TIMESTAMP_LTZ(" + (System.currentTimeMillis() + 6_000)
                        + ", 3) THEN 'x' ELSE '1' END AS INT) > 0 GROUP BY 1");
        ModelTransition.Generation next = (id, from) -> cluster.submit(
                TestPipelines.translated("replay-v2", failingLater),
                new Submission(id, from, RecoveryClaimMode.NO_CLAIM, true, List.of(), List.of()),
                ModelTransitionTest.class.getClassLoader());
        ModelTransition.Generation previous = (id, from) -> submit("replay-v1", counting, id, from);
        ModelTransition transition = new ModelTransition(
                ledger,
                ledger.lock().acquire("test", Duration.ofMinutes(5), Duration.ZERO),
                cluster,
                new HealthGate(cluster, Duration.ofSeconds(60), Duration.ofSeconds(12)),
                "d-replay",
                "counter",
                line -> {},
                step -> {});

        ModelTransition.Outcome outcome = transition.upgrade(
                running, 2, dir.resolve("savepoints-replay").toUri().toString(), next, previous);

        assertThat(outcome.rolledBack()).isTrue();
        assertThat(outcome.cause()).contains("NumberFormatException");
        assertThat(outcome.replays()).isTrue();
        assertThat(ledger.read().records())
                .filteredOn(r -> r.kind() == Kind.ROLLING_BACK)
                .singleElement()
                .satisfies(r -> assertThat(r.facts()).containsKey("committedCheckpoint"));
        cluster.cancel(outcome.job());
    }

    /** Each test its own deployment, as each deploy is: job ids derive from it, and the cluster never takes one twice. */
    private static ModelTransition upgrade(Ledger ledger, List<String> progress, Consumer<String> beforeRecord) {
        // a deployer that died holds its lease until it ends: the operator here forces it open
        ledger.lock().forceUnlock("test");
        DeployLock.Lease lease = ledger.lock().acquire("test", Duration.ofMinutes(5), Duration.ZERO);
        return new ModelTransition(
                ledger,
                lease,
                cluster,
                new HealthGate(cluster, Duration.ofSeconds(60), Duration.ofSeconds(1)),
                "d-" + ledger.directory().getName(),
                "counter",
                progress::add,
                beforeRecord);
    }

    private static org.apache.flink.core.fs.Path flinkPath(Path local) {
        return new org.apache.flink.core.fs.Path(local.toUri());
    }

    private static JobID start(String name, String plan, String restoreFrom) {
        JobID id = JobID.generate();
        submit(name, plan, id, restoreFrom);
        return id;
    }

    private static void submit(String name, String plan, JobID id, String restoreFrom) {
        cluster.submit(
                TestPipelines.translated(name, plan),
                new Submission(id, restoreFrom, RecoveryClaimMode.NO_CLAIM, false, List.of(), List.of()),
                ModelTransitionTest.class.getClassLoader());
    }

    /** The outcome's job was restored from the outcome's savepoint. */
    private static void assertRestoredFrom(ModelTransition.Outcome outcome) {
        String restored =
                cluster.checkpoints(outcome.job()).restored().orElseThrow().externalPath();
        assertThat(HealthGate.samePlace(restored, outcome.savepoint()))
                .as("job %s restored %s, not %s", outcome.job(), restored, outcome.savepoint())
                .isTrue();
    }

    private static void awaitRunning(JobID job) {
        assertThat(new HealthGate(cluster, Duration.ofSeconds(60), Duration.ZERO).await(job, null))
                .isInstanceOf(HealthGate.Healthy.class);
    }
}

package io.github.flinkdbt.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.RemoteAccess;
import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.cluster.Submission;
import io.github.flinkdbt.cluster.standalone.SharedCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.runtime.rest.messages.TriggerId;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.PlanReference;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.internal.TableEnvironmentImpl;
import org.apache.flink.table.delegation.Planner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster steps a deploy is made of, on the standalone cluster: a job submitted under an id
 * chosen first (submitting it again is recognised), stopped with a savepoint under a trigger id
 * chosen first (asking again answers with the same savepoint, as a re-run after a crash would),
 * the next generation restoring it — and the health gate that tells a healthy job from one that
 * says RUNNING but restarts, or restored nothing.
 */
@ExtendWith(SharedCluster.Resolver.class)
class DeployStepsTest {

    private static final String COUNTER = """
            CREATE TEMPORARY TABLE ticks (id BIGINT) WITH (
              'connector'='datagen', 'rows-per-second'='50',
              'fields.id.kind'='random', 'fields.id.min'='1', 'fields.id.max'='100');
            CREATE TEMPORARY TABLE counts (k INT, n BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH ('connector'='blackhole');
            """;

    @TempDir
    static Path dir;

    private static FlinkCluster cluster;

    @BeforeAll
    static void connect(SharedCluster shared) {
        cluster = FlinkCluster.open(shared.restUrl(), RemoteAccess.NONE, 0, 0, Hints.plain());
    }

    @AfterAll
    static void disconnect() {
        cluster.close();
    }

    @Test
    void anUpgradeIsResumableAtEveryStepAndTheGateVerifiesTheRestore() throws Exception {
        String counting = plan("INSERT INTO counts SELECT 1, COUNT(*) FROM ticks GROUP BY 1");
        Pipeline first = translated("deploy-steps-v1", counting);
        JobID generation1 = JobID.generate();
        cluster.submit(first, submission(generation1, null), getClass().getClassLoader());
        // the deployer died before it heard back: submitting again is the same job, not a second one
        cluster.submit(
                translated("deploy-steps-v1", counting),
                submission(generation1, null),
                getClass().getClassLoader());
        assertThat(cluster.jobs("deploy-steps-v1")).hasSize(1);
        HealthGate gate = new HealthGate(cluster, Duration.ofSeconds(60), Duration.ofSeconds(1));
        assertThat(gate.await(generation1, null)).isInstanceOf(HealthGate.Healthy.class);

        TriggerId trigger = new TriggerId();
        String savepoints = dir.resolve("savepoints").toUri().toString();
        String savepoint = cluster.stopWithSavepoint(generation1, savepoints, trigger, Duration.ZERO)
                .get(60, TimeUnit.SECONDS);
        // asked again under the same trigger id (a re-run after a crash): the same savepoint, no second stop
        assertThat(cluster.stopWithSavepoint(generation1, savepoints, trigger, Duration.ZERO)
                        .get(60, TimeUnit.SECONDS))
                .isEqualTo(savepoint);

        // the next generation of the same plan restores the count
        JobID generation2 = JobID.generate();
        cluster.submit(
                translated("deploy-steps-v2", counting),
                submission(generation2, savepoint),
                getClass().getClassLoader());
        HealthGate.Verdict verdict = gate.await(generation2, savepoint);
        assertThat(verdict).isInstanceOf(HealthGate.Healthy.class);
        assertThat(cluster.checkpoints(generation2).restored().orElseThrow().savepoint())
                .isTrue();
        cluster.cancel(generation2);
    }

    @Test
    void aJobThatSaysRunningButRestartsOrRestoredNothingIsNotHealthy() throws Exception {
        JobID failing = JobID.generate();
        cluster.submit(
                pipeline(
                        "deploy-steps-failing",
                        "INSERT INTO counts SELECT 1, SUM(CAST(CASE WHEN id = 40 THEN 'boom' ELSE '1' END AS INT)) FROM ticks GROUP BY 1"),
                submission(failing, null),
                getClass().getClassLoader());
        HealthGate gate = new HealthGate(cluster, Duration.ofSeconds(60), Duration.ofSeconds(1));
        HealthGate.Verdict verdict = gate.await(failing, null);
        assertThat(verdict).isInstanceOf(HealthGate.Unhealthy.class);
        HealthGate.Unhealthy unhealthy = (HealthGate.Unhealthy) verdict;
        assertThat(unhealthy.reason()).containsAnyOf("restarted", "failed after");
        assertThat(unhealthy.firstFailure()).contains("boom");
        cluster.cancel(failing);

        // started empty although it was meant to restore: not healthy, however well it runs
        JobID empty = JobID.generate();
        cluster.submit(
                pipeline("deploy-steps-empty", "INSERT INTO counts SELECT 1, COUNT(*) FROM ticks GROUP BY 1"),
                submission(empty, null),
                getClass().getClassLoader());
        HealthGate.Verdict notRestored = gate.await(
                empty,
                dir.resolve("savepoints/savepoint-that-was-meant").toUri().toString());
        assertThat(notRestored).isInstanceOf(HealthGate.Unhealthy.class);
        assertThat(((HealthGate.Unhealthy) notRestored).reason()).startsWith("it started empty instead of restoring");
        cluster.cancel(empty);
        awaitEnded(empty);
    }

    private static Submission submission(JobID id, String restoreFrom) {
        return new Submission(id, restoreFrom, RecoveryClaimMode.NO_CLAIM, false, List.of(), List.of());
    }

    private static void awaitEnded(JobID job) throws InterruptedException {
        for (int i = 0; i < 100 && cluster.job(job).status() != JobStatus.CANCELED; i++) {
            Thread.sleep(100);
        }
    }

    /** A streaming SQL job as deploy submits one: a compiled plan translated into a pipeline. */
    private static Pipeline pipeline(String name, String insert) {
        return translated(name, plan(insert));
    }

    private static String plan(String insert) {
        return environment("plan").compilePlanSql(insert).asJsonString();
    }

    /** A compiled plan translated (again: the next generation of a deployed plan keeps its UIDs). */
    private static Pipeline translated(String name, String planJson) {
        TableEnvironmentImpl environment = environment(name);
        Planner planner = environment.getPlanner();
        try {
            List<Transformation<?>> transformations =
                    planner.translatePlan(planner.loadPlan(PlanReference.fromJsonString(planJson)));
            return environment.generatePipelineFromQueryOperation(null, transformations);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TableEnvironmentImpl environment(String name) {
        Configuration config = new Configuration();
        config.setString("pipeline.name", name);
        config.setString("execution.checkpointing.interval", "1 s");
        config.setString("restart-strategy.type", "fixed-delay");
        config.setString("restart-strategy.fixed-delay.attempts", "1");
        config.setString("restart-strategy.fixed-delay.delay", "500 ms");
        config.setString("table.exec.uid.generation", "ALWAYS");
        TableEnvironmentImpl environment =
                (TableEnvironmentImpl) TableEnvironment.create(EnvironmentSettings.newInstance()
                        .inStreamingMode()
                        .withConfiguration(config)
                        .build());
        for (String ddl : COUNTER.split(";")) {
            if (!ddl.isBlank()) {
                environment.executeSql(ddl);
            }
        }
        return environment;
    }
}

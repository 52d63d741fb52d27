package io.github.flinkdbt.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.RemoteAccess;
import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.cluster.Submission;
import io.github.flinkdbt.cluster.standalone.SharedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The health gate on the standalone cluster: it tells a healthy job from one that says RUNNING but
 * fails and restarts, and from one that runs well but restored nothing although it should have (a
 * healthy upgrade, and the restore it verifies: {@link ModelTransitionTest}).
 */
@ExtendWith(SharedCluster.Resolver.class)
class HealthGateTest {

    @TempDir
    static Path dir;

    private static FlinkCluster cluster;

    @BeforeAll
    static void connect(SharedCluster shared) {
        cluster = FlinkCluster.open(shared.restUrl(), RemoteAccess.NONE, 0, 0, Hints.plain());
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        TestPipelines.cancelAll(cluster, "deploy-steps-");
        cluster.close();
    }

    @Test
    void aJobThatSaysRunningButRestartsOrRestoredNothingIsNotHealthy() throws Exception {
        JobID failing = JobID.generate();
        cluster.submit(
                TestPipelines.pipeline(
                        "deploy-steps-failing",
                        "INSERT INTO counts SELECT 1, SUM(CAST(CASE WHEN id > 0 THEN 'boom' ELSE '1' END AS INT)) FROM ticks GROUP BY 1"),
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
                TestPipelines.pipeline(
                        "deploy-steps-empty", "INSERT INTO counts SELECT 1, COUNT(*) FROM ticks GROUP BY 1"),
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
}

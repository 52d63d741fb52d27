package io.github.flinkdbt.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkdbt.mojo.MavenHints;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.rest.messages.TriggerId;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.PlanReference;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.internal.TableEnvironmentImpl;
import org.apache.flink.table.delegation.Planner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster interface against a real cluster's REST API (the embedded cluster's): a compiled plan
 * submitted under the caller's job id, found by its name, watched until every task runs and a
 * checkpoint completed, stopped with a savepoint under the caller's trigger id (asked twice, one
 * savepoint), restored under a new id with the restore confirmed by the cluster, and the old
 * savepoint disposed of.
 */
class FlinkClusterTest {

    private static final Duration MIN_PAUSE = Duration.ofMillis(500);

    private static FlinkCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        cluster = EmbeddedCluster.start(0, 4, Map.of(), MavenHints.get());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aJobIsSubmittedWatchedStoppedWithASavepointAndRestoredThroughTheInterface() throws Exception {
        TableEnvironmentImpl environment = environment();
        String plan = environment
                .compilePlanSql("INSERT INTO counts SELECT k, COUNT(*) FROM events GROUP BY k")
                .asJsonString();
        JobID first = JobID.generate();
        Submission submission = new Submission(first, null, RecoveryClaimMode.NO_CLAIM, false, List.of(), List.of());
        assertThat(cluster.submit(
                        pipeline(environment, plan), submission, getClass().getClassLoader()))
                .isEqualTo(first);
        // a caller that crashed before it heard back submits again: the same job, not a second one
        assertThat(cluster.submit(
                        pipeline(environment, plan), submission, getClass().getClassLoader()))
                .isEqualTo(first);
        assertThat(cluster.jobs("flink-dbt-test:")).singleElement().satisfies(job -> {
            assertThat(job.id()).isEqualTo(first);
            assertThat(job.name()).isEqualTo("flink-dbt-test:counts");
        });
        assertThat(cluster.jobs("someone-else:")).isEmpty();
        await(() -> cluster.job(first).allTasksRunning()
                && cluster.checkpoints(first).latestCompleted().isPresent());
        assertThat(cluster.job(first).tasks()).containsOnlyKeys("RUNNING");

        // stopped with a savepoint; asked again with the same trigger id, the cluster answers for it
        TriggerId trigger = new TriggerId();
        String savepoint = cluster.stopWithSavepoint(
                        first, dir.resolve("savepoints").toUri().toString(), trigger, MIN_PAUSE)
                .get(2, TimeUnit.MINUTES);
        assertThat(Path.of(URI.create(savepoint)).resolve("_metadata")).exists();
        assertThat(cluster.stopWithSavepoint(first, dir.resolve("other").toUri().toString(), trigger, MIN_PAUSE)
                        .get(1, TimeUnit.MINUTES))
                .isEqualTo(savepoint);
        JobResult ended = cluster.result(first).get(1, TimeUnit.MINUTES);
        assertThat(ended.isSuccess()).isTrue();
        // the REST API caches job details for a moment: it says so soon after
        await(() -> cluster.job(first).status() == JobStatus.FINISHED);

        // a new job from that savepoint: the cluster says it restored exactly that one
        JobID second = JobID.generate();
        cluster.submit(
                pipeline(environment, plan),
                new Submission(second, savepoint, RecoveryClaimMode.NO_CLAIM, false, List.of(), List.of()),
                getClass().getClassLoader());
        await(() -> cluster.job(second).allTasksRunning());
        FlinkCluster.Checkpoint restored =
                cluster.checkpoints(second).restored().orElseThrow();
        assertThat(restored.savepoint()).isTrue();
        assertThat(URI.create(restored.externalPath()).getPath())
                .isEqualTo(URI.create(savepoint).getPath());
        assertThat(cluster.jobs("flink-dbt-test:"))
                .extracting(FlinkCluster.JobInfo::id)
                .containsExactlyInAnyOrder(first, second);

        // the old savepoint is not needed any more (NO_CLAIM: the new job took a full checkpoint of its own)
        await(() -> cluster.checkpoints(second).latestCompleted().isPresent());
        cluster.stopWithSavepoint(second, dir.resolve("savepoints").toUri().toString(), new TriggerId(), MIN_PAUSE)
                .get(2, TimeUnit.MINUTES);
        cluster.disposeSavepoint(savepoint);
        assertThat(Files.exists(Path.of(URI.create(savepoint)))).isFalse();
    }

    @Test
    void anUnreachableClusterIsOneErrorNamingItsAddress() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
            port = free.getLocalPort();
        }
        URI nowhere = URI.create("http://localhost:" + port);
        // asked again while the port stays closed, until the client's patience (shortened here) is spent
        System.setProperty(PatientCalls.PATIENCE_PROPERTY, "3");
        try (FlinkCluster gone = RestFlinkCluster.connect(nowhere)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> gone.jobs(""))
                    .isInstanceOf(ClusterUnreachable.class)
                    .hasMessageStartingWith("The Flink cluster at " + nowhere
                            + " did not answer when asked to list the jobs: connection refused (asked ")
                    .hasMessageNotContaining("asked 1 times");
            assertThat(System.nanoTime() - start).isGreaterThan(2_000_000_000L);
        } finally {
            System.clearProperty(PatientCalls.PATIENCE_PROPERTY);
        }
    }

    /** A streaming environment that plans against a datagen source and a blackhole sink, submitting nowhere. */
    private TableEnvironmentImpl environment() {
        Configuration config = new Configuration();
        config.setString("execution.checkpointing.interval", "200 ms");
        config.setString("execution.checkpointing.min-pause", "500 ms");
        config.setString(
                "execution.checkpointing.dir",
                dir.resolve("checkpoints").toUri().toString());
        config.setString("pipeline.name", "flink-dbt-test:counts");
        config.setString("parallelism.default", "1");
        TableEnvironmentImpl environment =
                (TableEnvironmentImpl) TableEnvironment.create(EnvironmentSettings.newInstance()
                        .inStreamingMode()
                        .withConfiguration(config)
                        .build());
        environment.executeSql("CREATE TABLE events (k INT) WITH ('connector' = 'datagen', 'rows-per-second' = '50',"
                + " 'fields.k.min' = '1', 'fields.k.max' = '5')");
        environment.executeSql("CREATE TABLE counts (k INT, n BIGINT) WITH ('connector' = 'blackhole')");
        return environment;
    }

    private static Pipeline pipeline(TableEnvironmentImpl environment, String plan) throws Exception {
        Planner planner = environment.getPlanner();
        return environment.generatePipelineFromQueryOperation(
                null, planner.translatePlan(planner.loadPlan(PlanReference.fromJsonString(plan))));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("in time").isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}

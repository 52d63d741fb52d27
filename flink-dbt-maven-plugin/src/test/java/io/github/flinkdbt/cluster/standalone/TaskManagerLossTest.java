package io.github.flinkdbt.cluster.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.cluster.ClusterRestApi;
import io.github.flinkdbt.run.RunOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TaskManager killed -9 while a streaming model runs on the standalone cluster: Flink restarts
 * the job from its last checkpoint on the TaskManager left, and the run still ends with every
 * event counted exactly once.
 */
@ExtendWith(SharedCluster.Resolver.class)
class TaskManagerLossTest {

    private static final long EVENTS = 3_000;

    @TempDir
    Path dir;

    @Test
    void aKilledTaskManagerLosesNoEvent(SharedCluster cluster) throws Exception {
        Path project = TestProjects.counter(dir.resolve("counter"), 300, EVENTS);
        Path home = dir.resolve("home");
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<RunOutcome> run = CompletableFuture.supplyAsync(() -> FlinkDbt.run(
                TestProjects.settings(project)
                        .defaultName("counter")
                        .home(home)
                        .cluster(cluster.restUrl())
                        .build(),
                TestProjects.invocation(TestProjects.capturing(log))
                        .pluginClasspath(TestProjects.testClasspath())
                        .build()));
        ClusterRestApi api = new ClusterRestApi(cluster.restUrl());
        String killed;
        try {
            String job = await(() -> runningJob(api, "tick_count"), run);
            await(() -> completedCheckpoints(api, job) > 0 ? Optional.of(true) : Optional.empty(), run);
            killed = await(() -> taskManagerOf(api, job), run);
            long pid = cluster.status().processes().stream()
                    .filter(p -> p.name().equals(killed))
                    .findFirst()
                    .orElseThrow()
                    .pid();
            ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
            process.destroyForcibly();
            process.onExit().get(30, TimeUnit.SECONDS);

            RunOutcome outcome = run.get(180, TimeUnit.SECONDS);
            assertThat(outcome.models())
                    .singleElement()
                    .satisfies(m -> assertThat(m.status()).isEqualTo("success"));
            // the job restarted from a checkpoint: it did not start over, and it did not lose its state
            JsonNode restored = api.get("/jobs/" + job + "/checkpoints", Duration.ofSeconds(5))
                    .orElseThrow();
            assertThat(restored.path("latest").path("restored").path("id").asLong())
                    .isPositive();
        } finally {
            cluster.heal();
        }
        assertThat(TestProjects.query(home, "SELECT cnt, max_id FROM flink_dbt.counter.tick_count"))
                .containsExactly("ROW +I[" + EVENTS + ", " + EVENTS + "]");
    }

    private static Optional<String> runningJob(ClusterRestApi api, String model) {
        return api.get("/jobs/overview", Duration.ofSeconds(5)).flatMap(all -> {
            for (JsonNode job : all.path("jobs")) {
                if (job.path("name").asText().contains(model)
                        && job.path("state").asText().equals("RUNNING")) {
                    return Optional.of(job.path("jid").asText());
                }
            }
            return Optional.empty();
        });
    }

    private static long completedCheckpoints(ClusterRestApi api, String job) {
        return api.get("/jobs/" + job + "/checkpoints", Duration.ofSeconds(5))
                .map(c -> c.path("counts").path("completed").asLong())
                .orElse(0L);
    }

    /** The resource id ({@code taskmanager-<n>}) of the TaskManager running the job's tasks. */
    private static Optional<String> taskManagerOf(ClusterRestApi api, String job) {
        return api.get("/jobs/" + job, Duration.ofSeconds(5)).flatMap(details -> {
            String vertex = details.path("vertices").path(0).path("id").asText();
            return api.get("/jobs/" + job + "/vertices/" + vertex + "/taskmanagers", Duration.ofSeconds(5))
                    .map(tms -> tms.path("taskmanagers")
                            .path(0)
                            .path("taskmanager-id")
                            .asText())
                    .filter(id -> id.startsWith("taskmanager-"));
        });
    }

    private interface Probe<T> {
        Optional<T> now() throws Exception;
    }

    private static <T> T await(Probe<T> probe, CompletableFuture<RunOutcome> run) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            assertThat(run.isDone()).as("the run ended early: %s", run).isFalse();
            Optional<T> value = probe.now();
            if (value.isPresent()) {
                return value.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not in 60 s");
    }
}

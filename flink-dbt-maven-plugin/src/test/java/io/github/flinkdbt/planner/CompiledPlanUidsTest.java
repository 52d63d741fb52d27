package io.github.flinkdbt.planner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.AtomicFiles;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.graph.ModelGraph;
import io.github.flinkdbt.graph.Selector;
import io.github.flinkdbt.mojo.MavenHints;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.state.SavepointMetadata;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.table.api.PlanReference;
import org.apache.flink.table.api.internal.TableEnvironmentImpl;
import org.apache.flink.table.delegation.Planner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UIDs the project writes into compiled plans are the ones Flink gives the operators when it
 * restores the plan: loaded back and translated, every operator the planner creates carries
 * {@code <model>/<role>/<transformation>}; and a savepoint restores into the plan compiled again
 * from scratch in another JVM.
 */
class CompiledPlanUidsTest {

    @TempDir
    Path dir;

    @Test
    void flinkUsesTheProjectUidsWhenItRestoresAPlan() throws Exception {
        TestProjects.shop(dir);
        TestProjects.compile(TestProjects.settings(dir));
        String json = Files.readString(dir.resolve("target/flink-dbt/plans/clicks_per_user.json"));
        for (JsonNode node : Json.read(json).path("nodes")) {
            assertThat(node.path("configuration").path("table.exec.uid.format").asText())
                    .startsWith("clicks_per_user/");
        }

        Map<String, String> uids = translate(TestProjects.load(dir, new Problems()), json);
        assertThat(uids)
                .containsEntry("clicks_per_user/source[shop.page_views]/source", "source")
                .containsEntry("clicks_per_user/group-aggregate/group-aggregate", "group-aggregate")
                .containsEntry("clicks_per_user/watermark-assigner/watermark-assigner", "watermark-assigner")
                .containsEntry("clicks_per_user/sink/constraint-validator", "constraint-validator");
        // Every operator the planner builds is named by the project. Iceberg's sink adds its own writer
        // and committer; in a run they are named after the table they write (see the restore below).
        assertThat(uids.keySet()).allMatch(uid -> uid.startsWith("clicks_per_user/") || uid.startsWith("<none>"));
        assertThat(uids.values()).filteredOn(name -> name.startsWith("Iceberg")).isNotEmpty();
    }

    /**
     * A savepoint restores into the plan compiled again from scratch: in another JVM (fresh node-id
     * counters), with an empty plan cache, after an unrelated model was planned first, and without a
     * baseline to copy UIDs from. Every operator with state carries a UID of the project's.
     */
    @Test
    void aSavepointRestoresIntoThePlanCompiledAgainInAnotherJvm() throws Exception {
        int events = 3000;
        Path project = dir.resolve("counts");
        Path home = dir.resolve("home");
        TestProjects.counter(project, 300, events);
        Settings settings =
                TestProjects.settings(project).defaultName("counts").home(home).build();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        TestProjects.runUntilStopped(
                settings,
                TestProjects.invocation(TestProjects.capturing(log)).build(),
                log,
                180,
                () -> Files.isRegularFile(home.resolve("warehouse/counts/tick_count/metadata/v2.metadata.json")));
        Path savepoint = Path.of(URI.create(Files.readString(home.resolve("state/counts/tick_count/last-savepoint"))
                .trim()));
        String ran = Files.readString(home.resolve("state/counts/tick_count/plan.json"));
        long atStop = count(home);
        assertThat(atStop).isPositive().isLessThan(events);

        // every operator that holds state has a UID the project gave it: the planner's by the plan, the
        // Iceberg sink's writer and committer by the table they write
        SavepointMetadata metadata = SavepointMetadata.read(savepoint.toUri());
        List<String> stateful = metadata.operators().stream()
                .filter(SavepointMetadata.Operator::hasState)
                .map(SavepointMetadata.Operator::uid)
                .toList();
        assertThat(stateful)
                .isNotEmpty()
                .allSatisfy(uid -> assertThat(uid)
                        .matches("tick_count/.+|(Sink Committer: )?flink_dbt\\.counts\\.tick_count@[0-9a-f]{8}"));
        assertThat(stateful)
                .anyMatch(uid -> uid.startsWith("tick_count/group-aggregate"))
                .anyMatch(uid -> uid.startsWith("Sink Committer: flink_dbt.counts.tick_count@"));

        // compiled again in a forked JVM, an unrelated model first, no cache, no baseline: the same plan
        AtomicFiles.deleteTree(project.resolve("target"));
        TestProjects.write(project, "src/main/sql/a_unrelated.sql", """
                {{ config(materialized='streaming_table', unique_key='id') }}
                select id, count(*) as n from {{ source('gen', 'ticks') }} group by id
                """);
        FlinkDbt.compile(
                settings.toBuilder()
                        .home(dir.resolve("no-home"))
                        .useCache(false)
                        .build(),
                TestProjects.invocation()
                        .fork(true)
                        .pluginClasspath(TestProjects.testClasspath())
                        .build());
        assertThat(Files.readString(project.resolve("target/flink-dbt/plans/tick_count.json")))
                .isEqualTo(ran);

        // ... so the savepoint restores into it, and the count goes on to the end: nothing lost, nothing twice
        List<String> second = new ArrayList<>();
        FlinkDbt.run(
                settings.withSelect("tick_count"),
                TestProjects.invocation(TestProjects.capturing(second)).build());
        assertThat(String.join("\n", second)).contains("restored from " + savepoint.getFileName());
        assertThat(TestProjects.query(home, "SELECT cnt, max_id FROM flink_dbt.counts.tick_count"))
                .containsExactly("ROW +I[" + events + ", " + events + "]");
    }

    private static long count(Path home) throws Exception {
        String row = TestProjects.query(home, "SELECT cnt FROM flink_dbt.counts.tick_count")
                .get(0);
        return Long.parseLong(row.replaceAll("\\D", ""));
    }

    /** Loads and translates a plan on the project's catalog; uid → transformation name. */
    private Map<String, String> translate(Project project, String json) throws Exception {
        try (PlannerPool pool = PlannerPool.start(1, List.of(), Map.of(), "flink_dbt")) {
            ModelGraph graph = ModelGraph.of(project, new Problems());
            ProjectPlanner.plan(
                    new ProjectPlanner.Request(
                            project,
                            graph,
                            Selector.select(graph, "", "", MavenHints.get()),
                            TestProjects.settings(dir)
                                    .cacheDirectory(dir.resolve("target/other-cache"))
                                    .useCache(false)
                                    .build()
                                    .compile(),
                            1,
                            BuildLog.silent(),
                            MavenHints.get(),
                            pool),
                    new Problems());
            return pool.submit(() -> {
                        TableEnvironmentImpl env =
                                (TableEnvironmentImpl) pool.session().environment(false);
                        Planner planner = env.getPlanner();
                        List<Transformation<?>> roots =
                                planner.translatePlan(planner.loadPlan(PlanReference.fromJsonString(json)));
                        Map<String, String> uids = new TreeMap<>();
                        Deque<Transformation<?>> todo = new ArrayDeque<>(roots);
                        Set<Integer> seen = new HashSet<>();
                        while (!todo.isEmpty()) {
                            Transformation<?> t = todo.pop();
                            if (!seen.add(t.getId())) {
                                continue;
                            }
                            uids.put(
                                    t.getUid() != null ? t.getUid() : "<none>" + t.getId(),
                                    t.getUid() != null
                                            ? t.getUid().substring(t.getUid().lastIndexOf('/') + 1)
                                            : t.getName());
                            todo.addAll(t.getInputs());
                        }
                        return uids;
                    })
                    .get();
        }
    }
}

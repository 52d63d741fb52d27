package io.github.flinkdbt.planner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.Json;
import io.github.flinkdbt.TestProjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
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
 * {@code <model>/<role>/<transformation>}.
 */
class CompiledPlanUidsTest {

    @TempDir
    Path dir;

    @Test
    void flinkUsesTheProjectUidsWhenItRestoresAPlan() throws Exception {
        TestProjects.shop(dir);
        FlinkDbt.compile(TestProjects.builder(dir).build());
        String json = Files.readString(dir.resolve("target/flink-dbt/plans/clicks_per_user.json"));
        for (JsonNode node : Json.read(json).path("nodes")) {
            assertThat(node.path("configuration").path("table.exec.uid.format").asText()).startsWith("clicks_per_user/");
        }

        Map<String, String> uids = translate(TestProjects.load(dir, new io.github.flinkdbt.project.Problems()), json);
        assertThat(uids).containsEntry("clicks_per_user/source[shop.page_views]/source", "source")
                .containsEntry("clicks_per_user/group-aggregate/group-aggregate", "group-aggregate")
                .containsEntry("clicks_per_user/watermark-assigner/watermark-assigner", "watermark-assigner")
                .containsEntry("clicks_per_user/sink/constraint-validator", "constraint-validator");
        // Every operator the planner builds is named by the project. Iceberg's sink builds its writer
        // and committer itself, without UIDs: the deploy step names those.
        assertThat(uids.keySet()).allMatch(uid -> uid.startsWith("clicks_per_user/") || uid.startsWith("<none>"));
        assertThat(uids.values()).filteredOn(name -> name.startsWith("Iceberg")).isNotEmpty();
    }

    /** Loads and translates a plan on the project's catalog; uid → transformation name. */
    private Map<String, String> translate(io.github.flinkdbt.project.Project project, String json) throws Exception {
        try (PlannerPool pool = PlannerPool.start(1, List.of(), Map.of(), "flink_dbt")) {
            io.github.flinkdbt.graph.ModelGraph graph = io.github.flinkdbt.graph.ModelGraph.of(project,
                    new io.github.flinkdbt.project.Problems());
            ProjectPlanner.plan(new ProjectPlanner.Request(project, graph,
                    io.github.flinkdbt.graph.Selector.select(graph, "", ""), Map.of(), List.of(),
                    dir.resolve("target/other-cache"), false, "test", 1, io.github.flinkdbt.BuildLog.silent(), pool),
                    new io.github.flinkdbt.project.Problems());
            return pool.submit(() -> {
                TableEnvironmentImpl env = (TableEnvironmentImpl) pool.session().environment(false);
                Planner planner = env.getPlanner();
                List<Transformation<?>> roots = planner.translatePlan(planner.loadPlan(PlanReference.fromJsonString(json)));
                Map<String, String> uids = new TreeMap<>();
                Deque<Transformation<?>> todo = new ArrayDeque<>(roots);
                Set<Integer> seen = new HashSet<>();
                while (!todo.isEmpty()) {
                    Transformation<?> t = todo.pop();
                    if (!seen.add(t.getId())) {
                        continue;
                    }
                    uids.put(t.getUid() != null ? t.getUid() : "<none>" + t.getId(),
                            t.getUid() != null ? t.getUid().substring(t.getUid().lastIndexOf('/') + 1) : t.getName());
                    todo.addAll(t.getInputs());
                }
                return uids;
            }).get();
        }
    }
}

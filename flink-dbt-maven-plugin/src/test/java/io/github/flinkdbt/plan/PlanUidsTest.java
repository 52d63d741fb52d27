package io.github.flinkdbt.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.common.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanUidsTest {

    /** A plan as Flink writes it, with node ids from a JVM-wide counter (here 40-45). */
    private static final String PLAN = """
            {"flinkVersion":"2.1","nodes":[
             {"id":40,"type":"stream-exec-table-source-scan_1","scanTableSource":{"table":{"identifier":"`c`.`shop`.`a`"}}},
             {"id":41,"type":"stream-exec-table-source-scan_1","scanTableSource":{"table":{"identifier":"`c`.`shop`.`b`"}}},
             {"id":42,"type":"stream-exec-join_1","configuration":{"table.exec.state.ttl":"0 ms"},
              "state":[{"index":0,"ttl":"0 ms","name":"leftState"},{"index":1,"ttl":"0 ms","name":"rightState"}]},
             {"id":43,"type":"stream-exec-group-aggregate_1"},
             {"id":44,"type":"stream-exec-group-aggregate_1"},
             {"id":45,"type":"stream-exec-sink_1"}],
            "edges":[{"source":40,"target":42},{"source":41,"target":42},{"source":42,"target":43},
             {"source":43,"target":44},{"source":44,"target":45}]}
            """;

    @Test
    void renumbersNodesAndNamesThemByTheirRole() {
        ProjectPlan plan = PlanUids.assign("orders", PLAN);
        JsonNode root = Json.read(plan.json());
        List<String> formats = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (JsonNode node : root.path("nodes")) {
            ids.add(node.path("id").asInt());
            formats.add(node.path("configuration").path(PlanUids.UID_FORMAT).asText());
        }
        assertThat(ids).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(formats)
                .containsExactly(
                        "orders/source[shop.a]/<transformation>",
                        "orders/source[shop.b]/<transformation>",
                        "orders/join/<transformation>",
                        "orders/group-aggregate/<transformation>",
                        "orders/group-aggregate#2/<transformation>",
                        "orders/sink/<transformation>");
        assertThat(root.path("nodes")
                        .get(2)
                        .path("configuration")
                        .path("table.exec.state.ttl")
                        .asText())
                .isEqualTo("0 ms");
        assertThat(root.path("edges").get(0).path("source").asInt()).isEqualTo(1);
        assertThat(root.path("edges").get(4).path("target").asInt()).isEqualTo(6);
        assertThat(plan.statefulOperators())
                .extracting(PlanOperator::role)
                .containsExactly(
                        "source[shop.a]", "source[shop.b]", "join", "group-aggregate", "group-aggregate#2", "sink");
        assertThat(plan.operators().get(2).stateNames()).containsExactly("leftState", "rightState");
        // each operator's inputs, renumbered as the nodes (what the docs draw the operator graph from)
        assertThat(plan.operators())
                .extracting(PlanOperator::role, PlanOperator::inputs)
                .containsExactly(
                        tuple("source[shop.a]", List.of()),
                        tuple("source[shop.b]", List.of()),
                        tuple("join", List.of(1, 2)),
                        tuple("group-aggregate", List.of(3)),
                        tuple("group-aggregate#2", List.of(4)),
                        tuple("sink", List.of(5)));
    }

    @Test
    void theSameQueryCompiledLaterInTheJvmGetsTheSameUids() {
        String later = PLAN.replace("\"id\":4", "\"id\":10")
                .replace("\"source\":4", "\"source\":10")
                .replace("\"target\":4", "\"target\":10");
        assertThat(PlanUids.assign("orders", later).json())
                .isEqualTo(PlanUids.assign("orders", PLAN).json());
    }

    @Test
    void assigningTwiceChangesNothing() {
        String once = PlanUids.assign("orders", PLAN).json();
        assertThat(PlanUids.assign("orders", once).json()).isEqualTo(once);
    }

    @Test
    void statefulnessComesFromTheNodeType() {
        assertThat(ExecNodeTypes.isStateful("stream-exec-window-aggregate_2")).isTrue();
        assertThat(ExecNodeTypes.isStateful("stream-exec-interval-join_1")).isTrue();
        assertThat(ExecNodeTypes.isStateful("stream-exec-calc_1")).isFalse();
        assertThat(ExecNodeTypes.name("stream-exec-window-aggregate_2")).isEqualTo("window-aggregate");
        assertThat(ExecNodeTypes.version("stream-exec-window-aggregate_2")).isEqualTo(2);
    }
}

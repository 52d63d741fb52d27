package io.github.flinkdbt.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateCompatTest {

    @TempDir
    Path dir;

    @Test
    void everyChangeGetsItsVerdict() throws Exception {
        Path project = dir.resolve("p");
        StateCases.write(project, false, 100, 10);
        TestProjects.compile(TestProjects.settings(project).defaultName("p"));
        Path baseline = dir.resolve("baseline");
        copy(project.resolve("target/flink-dbt"), baseline);

        StateCases.write(project, true, 100, 10);
        TestProjects.write(
                project,
                "src/main/sql/added_model.sql",
                StateCases.AGG + "select user_id, count(*) as n from {{ source('gen', 'events') }} group by user_id");
        List<String> lines = new ArrayList<>();
        Settings request = TestProjects.settings(project)
                .defaultName("p")
                .baseline(baseline.toString())
                .build();
        assertThatThrownBy(() -> FlinkDbt.checkStateCompat(
                        request,
                        TestProjects.invocation(TestProjects.capturing(lines)).build()))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("key_changed cannot keep its state (policy: fail): group-aggregate: group keys "
                        + "[user_id] → [user_id, url].")
                .hasMessageContaining("set in src/main/sql/key_changed.sql:\n    {{ config(on_state_incompatible="
                        + "'reprocess') }}")
                .hasMessageNotContaining("filter_added")
                .hasMessageNotContaining("ttl_changed");
        assertThat(String.join("\n", lines).replaceAll(" +", " ")) // the table's columns, one space apart
                .contains(" filter_added STATE_COMPATIBLE group-aggregate: keeps state computed before the change "
                        + "upstream: filter (url <> '/p1') (applies to new events only)")
                .contains("function_changed STATE_INCOMPATIBLE group-aggregate: aggregate changed: MAX(amount) → "
                        + "MIN(amount)")
                .contains("window TUMBLE(10 s) → TUMBLE(20 s)")
                .contains("ROW_NUMBER by amount DESC, top 2 → ROW_NUMBER by amount DESC, top 3")
                .contains("aggregate added: SUM(amount)")
                .contains("keeps the last row by event time → keeps the first row by event time")
                .contains(" key_expression_changed STATE_COMPATIBLE group-aggregate: keeps state computed before the "
                        + "change upstream: projection [UPPER(url) AS page] (applies to new events only)");
        // one model's state TTL does not leak into the models planned after it
        assertThat(Files.readString(project.resolve("target/flink-dbt/plans/untouched.json")))
                .contains("\"ttl\": \"0 ms\"");
        Map<String, Verdict> got = new TreeMap<>();
        for (JsonNode model : Json.read(Files.readString(project.resolve("target/flink-dbt/state-compat.json")))
                .path("models")) {
            got.put(
                    model.path("name").asText(),
                    Verdict.valueOf(model.path("verdict").asText()));
        }
        Map<String, Verdict> expected = new TreeMap<>();
        StateCases.CASES.values().forEach(c -> expected.put(c.model(), c.verdict()));
        expected.put("added_model", Verdict.NEW);
        assertThat(got).isEqualTo(expected);
    }

    @Test
    void theSameProjectIsUnchangedWhateverTheJvmOrderAndLayout() throws Exception {
        Path project = dir.resolve("p");
        StateCases.write(project, false, 100, 10);
        FlinkDbt.compile(
                TestProjects.settings(project).defaultName("p").build(),
                TestProjects.invocation().threads(1).build());
        Path baseline = dir.resolve("baseline");
        copy(project.resolve("target/flink-dbt"), baseline);

        // another JVM (fresh node-id counters), two planner threads, an unrelated model planned first,
        // every model file with a comment and blank lines added
        try (var files = Files.list(project.resolve("src/main/sql"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                Files.writeString(
                        file, "-- reformatted\n\n" + Files.readString(file).replace(" from ", "\n\n  from ") + "\n\n");
            }
        }
        TestProjects.write(
                project,
                "src/main/sql/a_first.sql",
                StateCases.AGG
                        + "select user_id, max(id) as last_id from {{ source('gen', 'events') }} group by user_id");
        List<ModelVerdict> verdicts = FlinkDbt.checkStateCompat(
                TestProjects.settings(project)
                        .defaultName("p")
                        .baseline(baseline.toString())
                        .build(),
                TestProjects.invocation()
                        .fork(true)
                        .pluginClasspath(TestProjects.testClasspath())
                        .build());

        Map<String, Verdict> got = new TreeMap<>();
        verdicts.forEach(v -> got.put(v.name(), v.verdict()));
        Map<String, Verdict> expected = new TreeMap<>();
        StateCases.CASES.keySet().forEach(name -> expected.put(name, Verdict.UNCHANGED));
        expected.put("a_first", Verdict.NEW);
        assertThat(got).isEqualTo(expected);
    }

    static void copy(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path file : walk.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}

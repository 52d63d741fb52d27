package io.github.flinkdbt.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.FlinkDbtException;
import io.github.flinkdbt.Json;
import io.github.flinkdbt.RunRequest;
import io.github.flinkdbt.StateCompatRequest;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.cluster.EmbeddedCluster;
import io.github.flinkdbt.run.RunControl;
import io.github.flinkdbt.run.RunOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every verdict checked by a real restore: the baseline project runs on the embedded cluster and
 * is stopped with a savepoint per model half way through its input; the changed project is checked
 * against what ran (its plans and savepoints), then run from those savepoints to the end of its
 * input. A model judged compatible must restore and continue its counts exactly; one judged
 * incompatible must be refused by Flink (its state has no operator to go to), never restored
 * into an operator that would misread it.
 */
class StateRestoreMatrixTest {

    private static final int ROWS = 1000;

    /**
     * Incompatible because their table is replaced: the aggregate's state would restore, the
     * Iceberg sink's (keyed by the table name, not by the project) may or may not fail on the old
     * table's files, so what Flink does is not checked here, only that the verdict is not compatible.
     */
    private static final java.util.Set<String> REPLACED_TABLES = java.util.Set.of("projected_after", "alias_renamed",
            "key_changed", "aggregate_added");

    private static EmbeddedCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedCluster.start(0, 16, Map.of());
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void verdictsMatchWhatFlinkDoesWithTheSavepoints() throws Exception {
        Path project = dir.resolve("p");
        Path home = dir.resolve("home");
        StateCases.write(project, false, ROWS, 40);
        List<String> firstLog = java.util.Collections.synchronizedList(new ArrayList<>());
        RunOutcome first = TestProjects.runUntilStopped(request(project, home, firstLog), firstLog, 120);
        assertThat(first.models()).allSatisfy(m -> assertThat(m.message()).as(m.name())
                .startsWith("stopped with savepoint"));

        StateCases.write(project, true, ROWS, 40);
        TestProjects.write(project, "src/main/sql/added_model.sql",
                StateCases.AGG + "select user_id, count(*) as n from {{ source('gen', 'events') }} group by user_id");
        List<String> checkLog = new ArrayList<>();
        StateCompatRequest check = new StateCompatRequest(TestProjects.builder(project).defaultName("p")
                .baseline(home).log(TestProjects.capturing(checkLog)).build(), null);
        assertThatThrownBy(() -> FlinkDbt.checkStateCompat(check)).isInstanceOf(FlinkDbtException.class);
        Map<String, Verdict> verdicts = new TreeMap<>();
        Map<String, JsonNode> reports = new TreeMap<>();
        for (JsonNode model : Json.read(Files.readString(project.resolve("target/flink-dbt/state-compat.json")))
                .path("models")) {
            verdicts.put(model.path("name").asText(), Verdict.valueOf(model.path("verdict").asText()));
            reports.put(model.path("name").asText(), model);
        }
        StateCases.CASES.values().forEach(c -> assertThat(verdicts.get(c.model())).as(c.model()).isEqualTo(c.verdict()));
        // the savepoints were read: state sizes per restoring operator
        assertThat(reports.get("untouched").path("operators").toString()).contains("\"stateBytes\"");
        savepointsGivenExplicitly(project, home);

        List<String> secondLog = new ArrayList<>();
        Map<String, String> failed = new TreeMap<>();
        try {
            FlinkDbt.run(request(project, home, secondLog));
        } catch (FlinkDbtException e) {
            e.getMessage().lines().filter(line -> line.startsWith("  ")).forEach(line -> {
                String[] parts = line.trim().split(": ", 2);
                failed.put(parts[0], parts.length > 1 ? parts[1] : "");
            });
        }
        for (Map.Entry<String, Verdict> verdict : verdicts.entrySet()) {
            String model = verdict.getKey();
            boolean keepsState = verdict.getValue() != Verdict.STATE_INCOMPATIBLE;
            if (keepsState) {
                assertThat(failed).as(model + " (" + verdict.getValue() + ") must restore").doesNotContainKey(model);
            } else if (!REPLACED_TABLES.contains(model)) {
                // the operator got a UID the savepoint does not have: Flink refuses, it does not misread
                assertThat(failed).as(model + " (" + verdict.getValue() + ") must be refused").containsKey(model);
                assertThat(failed.get(model)).as(model).contains("because the operator is not available in the new program");
            }
        }
        // counts continue from the savepoint: each of the ROWS events counted once, nothing lost, nothing twice
        for (String model : List.of("untouched", "computed_after", "ttl_changed", "key_expression_changed")) {
            assertThat(TestProjects.query(home, "SELECT SUM(cnt) FROM flink_dbt.p." + model))
                    .as(model).containsExactly("ROW +I[" + ROWS + "]");
        }
        // a new upstream filter applies to new events only: more than the filter lets through, fewer than all
        long filtered = java.util.stream.LongStream.rangeClosed(1, ROWS).filter(id -> id % 3 != 1).count();
        long count = Long.parseLong(TestProjects.query(home, "SELECT SUM(cnt) FROM flink_dbt.p.filter_added").get(0)
                .replaceAll("\\D", ""));
        assertThat(count).isGreaterThan(filtered).isLessThan(ROWS);
    }

    /** {@code -Dflink-dbt.savepoint} as model=path pairs and as a directory of savepoints. */
    private static void savepointsGivenExplicitly(Path project, Path home) throws Exception {
        Path untouched = lastSavepoint(home, "untouched");
        Path functionChanged = lastSavepoint(home, "function_changed");
        Map<String, JsonNode> byPair = checkWith(project, home, "untouched=" + untouched + ", function_changed="
                + functionChanged);
        assertThat(byPair.get("untouched").path("operators")).allSatisfy(operator -> {
            assertThat(operator.path("outcome").asText()).isIn(OperatorCheck.RESTORES, OperatorCheck.NEW);
            assertThat(operator.path("stateBytes").asLong()).isGreaterThanOrEqualTo(0);
        });
        assertThat(byPair.get("untouched").path("operators").toString()).contains("\"outcome\":\"restores\"");
        // the old MAX aggregate's state is in the savepoint, and nothing in the new plan takes it
        JsonNode dropped = null;
        for (JsonNode operator : byPair.get("function_changed").path("operators")) {
            if (operator.path("outcome").asText().equals(OperatorCheck.DROPPED)) {
                dropped = operator;
            }
        }
        assertThat(dropped).as("function_changed: the old aggregate's state is dropped").isNotNull();
        assertThat(dropped.path("uid").asText()).startsWith("function_changed/");
        assertThat(dropped.path("stateBytes").asLong()).isPositive();
        assertThat(byPair.get("function_changed").path("reasons").toString()).contains("holds state no operator");
        // only the two named models were checked against a savepoint
        assertThat(byPair.get("filter_added").path("operators").toString()).doesNotContain("stateBytes");

        Map<String, JsonNode> byDirectory = checkWith(project, home, home.resolve("state").toString());
        assertThat(byDirectory.get("filter_added").path("operators").toString()).contains("stateBytes");
        assertThat(byDirectory.get("function_changed").toString()).isEqualTo(byPair.get("function_changed").toString());

        assertThatThrownBy(() -> checkWith(project, home, "untouched"))
                .hasMessageContaining("-Dflink-dbt.savepoint=untouched: no such directory.");
        assertThatThrownBy(() -> checkWith(project, home, "untouched=" + home.resolve("state")))
                .hasMessageContaining("has no _metadata file");
    }

    private static Map<String, JsonNode> checkWith(Path project, Path home, String savepoint) throws Exception {
        try {
            FlinkDbt.checkStateCompat(new StateCompatRequest(TestProjects.builder(project).defaultName("p")
                    .baseline(home).build(), savepoint));
        } catch (FlinkDbtException incompatible) {
            if (!incompatible.getMessage().contains("cannot keep its state")) {
                throw incompatible;
            }
        }
        Map<String, JsonNode> reports = new TreeMap<>();
        for (JsonNode model : Json.read(Files.readString(project.resolve("target/flink-dbt/state-compat.json")))
                .path("models")) {
            reports.put(model.path("name").asText(), model);
        }
        return reports;
    }

    private static Path lastSavepoint(Path home, String model) throws Exception {
        return Path.of(java.net.URI.create(Files.readString(home.resolve("state/p/" + model + "/last-savepoint"))
                .trim()));
    }

    private static RunRequest request(Path project, Path home, List<String> lines) {
        return new RunRequest(TestProjects.builder(project).defaultName("p").log(TestProjects.capturing(lines))
                .build(), home, 0, false, false, false, List.of(), List.of(), new RunControl(), cluster.restAddress());
    }
}

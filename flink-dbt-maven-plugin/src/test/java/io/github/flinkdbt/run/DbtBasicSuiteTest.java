package io.github.flinkdbt.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.cluster.EmbeddedCluster;
import io.github.flinkdbt.mojo.MavenHints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbt's adapter conformance suite {@code basic} (dbt-tests-adapter), its scenarios and assertions
 * reproduced on fixture projects of our own: dbt's {@code seed}, {@code run} and {@code snapshot}
 * are one {@code run} here, its {@code test} is {@code snapshot-test} (or the tests {@code run}
 * runs in build order); {@code check_relations_equal} compares row counts and both EXCEPTs of the
 * columns not starting with {@code dbt_}, as dbt's does.
 */
class DbtBasicSuiteTest {

    /** base.csv's shape: id, name, some_date written as dbt's fixtures write it (1981-05-20T06:46:51). */
    private static final List<String> NAMES = List.of(
            "Ada", "Bela", "Cyd", "Dora", "Emil", "Fynn", "Gus", "Hana", "Ivo", "Jule", "Kai", "Lea", "Milo", "Nia",
            "Ole", "Pia", "Quin", "Rua", "Sam", "Tea");

    private static EmbeddedCluster cluster;

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedCluster.start(0, 4, Map.of(), MavenHints.get());
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    /** test_base (simple materializations, swappable), test_ephemeral, test_generic_tests. */
    @Test
    void simpleMaterializationsEphemeralAndGenericTests() throws Exception {
        Path project = project("base");
        TestProjects.write(project, "models/view_model.sql", "{{ config(materialized='view') }}\n" + SELECT_SOURCE);
        TestProjects.write(project, "models/table_model.sql", "{{ config(materialized='table') }}\n" + SELECT_SOURCE);
        TestProjects.write(
                project,
                "models/swappable.sql",
                "{{ config(materialized=var('materialized_var', 'table')) }}\n" + SELECT_SOURCE);
        TestProjects.write(project, "models/ephemeral.sql", "{{ config(materialized='ephemeral') }}\n" + SELECT_SOURCE);
        TestProjects.write(
                project,
                "models/ephemeral_view.sql",
                "{{ config(materialized='view') }}\nselect * from {{ ref('ephemeral') }}\n");
        TestProjects.write(
                project,
                "models/ephemeral_table.sql",
                "{{ config(materialized='table') }}\nselect * from {{ ref('ephemeral') }}\n");
        TestProjects.write(project, "seeds/schema.yml", notNull("base"));
        TestProjects.write(project, "models/view_tests.yml", notNull("view_model"));
        TestProjects.write(project, "models/table_tests.yml", notNull("table_model"));
        Path home = dir.resolve("home");

        RunOutcome first = run(project, home, Map.of(), true);
        // dbt: seed → 1 result, run → 3 (+2 of test_ephemeral); here one run builds them all
        assertThat(results(first))
                .isEqualTo(Map.of(
                        "base", "seed",
                        "added", "seed",
                        "ephemeral", "ephemeral", // listed as inlined; dbt leaves it out of its results
                        "view_model", "view",
                        "table_model", "table",
                        "swappable", "table",
                        "ephemeral_view", "view",
                        "ephemeral_table", "table"));
        assertThat(TestProjects.query(home, "SELECT COUNT(*) FROM flink_dbt.base.base"))
                .containsExactly("ROW +I[10]");
        assertRelationsEqual(
                home, "base", "base", "view_model", "table_model", "swappable", "ephemeral_view", "ephemeral_table");
        assertThat(views(home)).containsExactlyInAnyOrder("ephemeral_view", "view_model");
        // test_generic_tests: the three not_null tests pass
        assertThat(String.join("\n", lines))
                .containsPattern("PASS +data +not_null_base_id")
                .containsPattern("PASS +data +not_null_view_model_id")
                .containsPattern("PASS +data +not_null_table_model_id");

        // run -m swappable --vars materialized_var: view, then incremental
        assertThat(results(run(project, home, Map.of("materialized_var", "view"), false)))
                .containsEntry("swappable", "view");
        assertThat(views(home)).containsExactlyInAnyOrder("ephemeral_view", "swappable", "view_model");
        assertRelationsEqual(home, "base", "base", "swappable");
        assertThat(results(run(project, home, Map.of("materialized_var", "incremental"), false)))
                .containsEntry("swappable", "incremental");
        assertThat(views(home)).containsExactlyInAnyOrder("ephemeral_view", "view_model");
        assertRelationsEqual(home, "base", "base", "swappable");
    }

    /** test_incremental (BaseIncremental): a second run over the added seed appends only ids 11–20. */
    @Test
    void incrementalAppendsOnlyNewRows() throws Exception {
        Path project = project("inc");
        TestProjects.write(project, "models/incremental.sql", """
                {{ config(materialized='incremental') }}
                select * from {{ source('raw', 'seed') }}
                {% if is_incremental() %} where id > (select max(id) from {{ this }}) {% endif %}
                """);
        Path home = dir.resolve("home");
        assertThat(rows(run(project, home, Map.of("seed_name", "base"), false)))
                .isEqualTo(Map.of("base", 10L, "added", 20L, "incremental", 10L));
        assertRelationsEqual(home, "inc", "base", "incremental");
        assertThat(rows(run(project, home, Map.of("seed_name", "added"), false)))
                .containsEntry("incremental", 10L);
        assertRelationsEqual(home, "inc", "added", "incremental");
    }

    /** test_snapshot_timestamp and test_snapshot_check_cols: the row counts after each change of the seed. */
    @Test
    void snapshotsByTimestampAndByCheckedColumns() throws Exception {
        Path project = project("snap");
        String snapshot = """
                {%% snapshot %s %%}
                {{ config(unique_key='id', strategy='%s', %s, target_database=database, target_schema=schema) }}
                select * from {{ ref(var('seed_name', 'base')) }}
                {%% endsnapshot %%}
                """;
        TestProjects.write(
                project, "snapshots/ts.sql", snapshot.formatted("ts_snapshot", "timestamp", "updated_at='some_date'"));
        TestProjects.write(
                project,
                "snapshots/cc.sql",
                snapshot.formatted("cc_all_snapshot", "check", "check_cols='all'")
                        + snapshot.formatted("cc_name_snapshot", "check", "check_cols=['name']")
                        + snapshot.formatted("cc_date_snapshot", "check", "check_cols=['some_date']"));
        Path home = dir.resolve("home");
        run(project, home, Map.of(), false);
        assertThat(snapshotRows(home)).isEqualTo(counts(10, 10, 10, 10));
        run(project, home, Map.of("seed_name", "added"), false);
        assertThat(snapshotRows(home)).isEqualTo(counts(20, 20, 20, 20));
        // some_date + 1 hour where 10 < id < 21
        TestProjects.write(project, "seeds/added.csv", seed(20, id -> id > 10 ? 1 : 0, id -> ""));
        run(project, home, Map.of("seed_name", "added"), false);
        assertThat(snapshotRows(home)).isEqualTo(counts(30, 30, 20, 30));
        // name || '_updated' where id < 11
        TestProjects.write(
                project, "seeds/added.csv", seed(20, id -> id > 10 ? 1 : 0, id -> id < 11 ? "_updated" : ""));
        run(project, home, Map.of("seed_name", "added"), false);
        assertThat(snapshotRows(home)).isEqualTo(counts(30, 40, 30, 30));
    }

    /** test_singular_tests and test_singular_tests_ephemeral: one passes, one fails, each reported as such. */
    @Test
    void singularTestsPassAndFail() throws Exception {
        Path project = project("singular");
        String ephemeral = "{{ config(materialized='ephemeral') }}\n"
                + "with cte as (select id, name from {{ ref('base') }}) select name, id from cte where id is not null\n";
        TestProjects.write(project, "models/ephemeral.sql", ephemeral);
        TestProjects.write(
                project, "tests/passing.sql", "select * from (select 1 as id) as my_subquery where id = 2\n");
        TestProjects.write(
                project, "tests/failing.sql", "select * from (select 1 as id) as my_subquery where id = 1\n");
        TestProjects.write(
                project,
                "tests/passing_ephemeral.sql",
                "select name, id from {{ ref('ephemeral') }} where id > 1000\n");
        TestProjects.write(
                project,
                "tests/failing_ephemeral.sql",
                "select name, id from {{ ref('ephemeral') }} where id < 1000\n");
        Settings settings =
                TestProjects.settings(project).cluster(cluster.restAddress()).build();
        assertThatThrownBy(() -> FlinkDbt.test(
                        settings,
                        TestProjects.invocation(TestProjects.capturing(lines)).build()))
                .hasMessageContaining("4 run, 2 passed, 2 failed");
        assertThat(String.join("\n", lines))
                .containsPattern("PASS +data +passing ")
                .containsPattern("FAIL +data +failing ")
                .containsPattern("PASS +data +passing_ephemeral")
                .containsPattern("FAIL +data +failing_ephemeral");
    }

    /** test_empty: a project with nothing in it runs, with no results, and writes its run results. */
    @Test
    void anEmptyProjectRunsNothing() throws Exception {
        Path project = dir.resolve("empty");
        TestProjects.write(project, "dbt_project.yml", "name: empty\n");
        RunOutcome outcome = run(project, dir.resolve("home"), Map.of(), false);
        assertThat(outcome.models()).isEmpty();
        assertThat(project.resolve("target/flink-dbt/run_results.json")).isRegularFile();
    }

    private static final String SELECT_SOURCE = "select * from {{ source('raw', 'seed') }}\n";

    /** A dbt project with dbt's seeds base (10 rows) and added (20) and the source raw.seed naming one of them. */
    private Path project(String name) {
        Path project = dir.resolve(name);
        TestProjects.write(project, "dbt_project.yml", "name: " + name + "\n");
        TestProjects.write(project, "seeds/base.csv", seed(10, id -> 0, id -> ""));
        TestProjects.write(project, "seeds/added.csv", seed(20, id -> 0, id -> ""));
        TestProjects.write(project, "models/schema.yml", """
                version: 2
                sources:
                  - name: raw
                    schema: "{{ target.schema }}"
                    tables:
                      - name: seed
                        identifier: "{{ var('seed_name', 'base') }}"
                """);
        return project;
    }

    private static String seed(int rows, IntUnaryOperator hoursLater, IntFunction<String> nameSuffix) {
        return "id,name,some_date\n"
                + IntStream.rangeClosed(1, rows)
                        .mapToObj(id -> id + "," + NAMES.get(id - 1) + nameSuffix.apply(id) + ","
                                + (1970 + id * 2) + "-0" + (id % 9 + 1) + "-1" + (id % 9) + "T0"
                                + (hoursLater.applyAsInt(id) + id % 5) + ":46:51")
                        .collect(Collectors.joining("\n", "", "\n"));
    }

    private static String notNull(String model) {
        return "version: 2\nmodels:\n  - name: " + model
                + "\n    columns:\n      - name: id\n        data_tests: [not_null]\n";
    }

    private RunOutcome run(Path project, Path home, Map<String, Object> vars, boolean tests) {
        Settings settings = TestProjects.settings(project)
                .home(home)
                .vars(vars)
                .tests(tests)
                .cluster(cluster.restAddress())
                .build();
        return FlinkDbt.run(
                settings, TestProjects.invocation(TestProjects.capturing(lines)).build());
    }

    private static Map<String, String> results(RunOutcome outcome) {
        Map<String, String> kinds = new TreeMap<>();
        outcome.models().forEach(m -> kinds.put(m.name(), m.materialization()));
        return kinds;
    }

    private static Map<String, Long> rows(RunOutcome outcome) {
        Map<String, Long> rows = new TreeMap<>();
        outcome.models().forEach(m -> rows.put(m.name(), m.rows()));
        return rows;
    }

    private static Map<String, String> counts(int ts, int all, int name, int date) {
        return Map.of(
                "ts_snapshot", "ROW +I[" + ts + "]",
                "cc_all_snapshot", "ROW +I[" + all + "]",
                "cc_name_snapshot", "ROW +I[" + name + "]",
                "cc_date_snapshot", "ROW +I[" + date + "]");
    }

    private static Map<String, String> snapshotRows(Path home) throws Exception {
        List<String> names = List.of("ts_snapshot", "cc_all_snapshot", "cc_name_snapshot", "cc_date_snapshot");
        List<String> counts = TestProjects.query(
                home,
                names.stream()
                        .map(n -> "SELECT COUNT(*) FROM flink_dbt.snap." + n)
                        .toArray(String[]::new));
        Map<String, String> byName = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) {
            byName.put(names.get(i), counts.get(i));
        }
        return byName;
    }

    /** check_relation_types: which relations of the schema are views (the others are tables). */
    private static List<String> views(Path home) throws Exception {
        return TestProjects.query(home, "SHOW VIEWS FROM flink_dbt.base").stream()
                .map(row -> row.replaceAll("^ROW \\+I\\[(.*)]$", "$1"))
                .toList();
    }

    /** dbt's check_relations_equal: the same row count, and no row in either EXCEPT of the other. */
    private static void assertRelationsEqual(Path home, String database, String first, String... others)
            throws Exception {
        String columns = "id, name, some_date";
        String left = "flink_dbt.`" + database + "`.`" + first + "`";
        for (String other : others) {
            String right = "flink_dbt.`" + database + "`.`" + other + "`";
            assertThat(TestProjects.query(
                            home,
                            "SELECT (SELECT COUNT(*) FROM " + left + ") - (SELECT COUNT(*) FROM " + right + ")",
                            "SELECT COUNT(*) FROM ((SELECT " + columns + " FROM " + left + " EXCEPT SELECT " + columns
                                    + " FROM " + right + ") UNION ALL (SELECT " + columns + " FROM " + right
                                    + " EXCEPT SELECT " + columns + " FROM " + left + "))"))
                    .as(first + " = " + other)
                    .containsExactly("ROW +I[0]", "ROW +I[0]");
        }
    }
}

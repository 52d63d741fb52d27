package io.github.flinkdbt.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.cluster.EmbeddedCluster;
import io.github.flinkdbt.common.ProblemsException;
import io.github.flinkdbt.mojo.MavenHints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dbt's adapter conformance suite {@code incremental} (merge_exclude_columns, on_schema_change with
 * its special-character columns) and basic's incremental edge cases (not a schema change, a bad
 * strategy), reproduced on fixture projects of our own with the suites' models, data and
 * assertions: two runs, then dbt's {@code check_relations_equal} between each model and its
 * target (row counts and both EXCEPTs) and the columns the model's table ends with.
 */
class DbtIncrementalSuiteTest {

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

    private static final String STRING = "{% set string_type = dbt.type_string() %}\n";

    @Test
    void mergeExcludeColumnsAndOnSchemaChangeAsTheSuiteChecksThem() throws Exception {
        Path project = dir.resolve("incremental");
        write(project, "dbt_project.yml", "name: incremental\n");
        // BaseMergeExcludeColumns
        write(project, "models/merge_exclude_columns.sql", """
                {{ config(materialized='incremental', unique_key='id', incremental_strategy='merge',
                          merge_exclude_columns=['msg']) }}
                {% if not is_incremental() %}
                select 1 as id, 'hello' as msg, 'blue' as color
                union all select 2 as id, 'goodbye' as msg, 'red' as color
                {% else %}
                select 1 as id, 'hey' as msg, 'blue' as color
                union all select 2 as id, 'yo' as msg, 'green' as color
                union all select 3 as id, 'anyway' as msg, 'purple' as color
                {% endif %}
                """);
        write(project, "seeds/expected_merge_exclude_columns.csv", """
                id,msg,color
                1,hello,blue
                2,goodbye,green
                3,anyway,purple
                """);
        // BaseIncrementalOnSchemaChange
        write(project, "models/model_a.sql", """
                {{ config(materialized='table') }}
                with source_data as (
                    select 1 as id, 'aaa' as field1, 'bbb' as field2, 111 as field3, 'TTT' as field4
                    union all select 2 as id, 'ccc' as field1, 'ddd' as field2, 222 as field3, 'UUU' as field4
                    union all select 3 as id, 'eee' as field1, 'fff' as field2, 333 as field3, 'VVV' as field4
                    union all select 4 as id, 'ggg' as field1, 'hhh' as field2, 444 as field3, 'WWW' as field4
                    union all select 5 as id, 'iii' as field1, 'jjj' as field2, 555 as field3, 'XXX' as field4
                    union all select 6 as id, 'kkk' as field1, 'lll' as field2, 666 as field3, 'YYY' as field4
                )
                select id, field1, field2, field3, field4 from source_data
                """);
        incremental(
                project,
                "incremental_ignore",
                "ignore",
                "SELECT id, field1, field2 FROM source_data LIMIT 3",
                "SELECT id, field1, field2, field3, field4 FROM source_data WHERE id NOT IN (SELECT id from {{ this }})");
        target(project, "incremental_ignore_target", "select id, field1, field2 from source_data");
        incremental(
                project,
                "incremental_append_new_columns",
                "append_new_columns",
                STRING + "SELECT id, cast(field1 as {{string_type}}) as field1, cast(field2 as {{string_type}}) as"
                        + " field2 FROM source_data where id <= 3",
                STRING + "SELECT id, cast(field1 as {{string_type}}) as field1, cast(field2 as {{string_type}}) as"
                        + " field2, cast(field3 as {{string_type}}) as field3, cast(field4 as {{string_type}}) as"
                        + " field4 FROM source_data WHERE id NOT IN (SELECT id from {{ this }})");
        target(
                project,
                "incremental_append_new_columns_target",
                STRING + "select id, cast(field1 as {{string_type}}) as field1, cast(field2 as {{string_type}}) as"
                        + " field2, cast(CASE WHEN id <= 3 THEN NULL ELSE field3 END as {{string_type}}) AS field3,"
                        + " cast(CASE WHEN id <= 3 THEN NULL ELSE field4 END as {{string_type}}) AS field4"
                        + " from source_data");
        incremental(
                project,
                "incremental_append_new_columns_remove_one",
                "append_new_columns",
                STRING + "SELECT id, cast(field1 as {{string_type}}) as field1, cast(field2 as {{string_type}}) as"
                        + " field2 FROM source_data where id <= 3",
                STRING + "SELECT id, cast(field1 as {{string_type}}) as field1, cast(field3 as {{string_type}}) as"
                        + " field3, cast(field4 as {{string_type}}) as field4 FROM source_data WHERE id NOT IN"
                        + " (SELECT id from {{ this }})");
        target(
                project,
                "incremental_append_new_columns_remove_one_target",
                STRING + "select id, cast(field1 as {{string_type}}) as field1,"
                        + " cast(CASE WHEN id > 3 THEN NULL ELSE field2 END as {{string_type}}) AS field2,"
                        + " cast(CASE WHEN id <= 3 THEN NULL ELSE field3 END as {{string_type}}) AS field3,"
                        + " cast(CASE WHEN id <= 3 THEN NULL ELSE field4 END as {{string_type}}) AS field4"
                        + " from source_data");
        incremental(
                project,
                "incremental_sync_all_columns",
                "sync_all_columns",
                STRING + "select id, cast(field1 as {{string_type}}) as field1, cast(field2 as {{string_type}}) as"
                        + " field2 from source_data where id <= 3",
                STRING + "SELECT id, cast(field1 as {{string_type}}) as field1, cast(field3 as {{string_type}}) as"
                        + " field3, cast(field4 as {{string_type}}) AS field4 FROM source_data WHERE id NOT IN"
                        + " (SELECT id from {{ this }})");
        target(
                project,
                "incremental_sync_all_columns_target",
                STRING + "select id, cast(field1 as {{string_type}}) as field1,"
                        + " cast(case when id <= 3 then null else field3 end as {{string_type}}) as field3,"
                        + " cast(case when id <= 3 then null else field4 end as {{string_type}}) as field4"
                        + " from source_data");
        incremental(
                project,
                "incremental_sync_remove_only",
                "sync_all_columns",
                STRING + "select id, cast(field1 as {{string_type}}) as field1, cast(field2 as {{string_type}}) as"
                        + " field2 from source_data where id <= 3",
                STRING + "SELECT id, cast(field1 as {{string_type}}) as field1 FROM source_data WHERE id NOT IN"
                        + " (SELECT id from {{ this }})");
        target(
                project,
                "incremental_sync_remove_only_target",
                STRING + "select id, cast(field1 as {{string_type}}) as field1 from source_data");
        incremental(
                project,
                "incremental_fail",
                "fail",
                "SELECT id, field1, field3 FROm source_data",
                "SELECT id, field1, field2 FROM source_data");
        // the special-character columns of the suite, quoted with adapter.quote
        write(project, "models/model_a_special_chars.sql", """
                {{ config(materialized='table') }}
                select id, {{ adapter.quote("field with space") }}, {{ adapter.quote("select") }},
                  {{ adapter.quote("field-with-dash") }}, {{ adapter.quote("field.with.dots") }}
                from (values (1, 'aaa', 'bbb', 111, 'TTT'), (2, 'ccc', 'ddd', 222, 'UUU'), (3, 'eee', 'fff', 333, 'VVV'),
                  (4, 'ggg', 'hhh', 444, 'WWW'), (5, 'iii', 'jjj', 555, 'XXX'), (6, 'kkk', 'lll', 666, 'YYY'))
                  as t(id, {{ adapter.quote("field with space") }}, {{ adapter.quote("select") }},
                  {{ adapter.quote("field-with-dash") }}, {{ adapter.quote("field.with.dots") }})
                """);
        String space = "cast({{ adapter.quote('field with space') }} as {{string_type}}) as"
                + " {{ adapter.quote('field with space') }}";
        String select = "cast({{ adapter.quote('select') }} as {{string_type}}) as {{ adapter.quote('select') }}";
        String dash = "cast({{ adapter.quote('field-with-dash') }} as {{string_type}}) as"
                + " {{ adapter.quote('field-with-dash') }}";
        String dots = "cast({{ adapter.quote('field.with.dots') }} as {{string_type}}) as"
                + " {{ adapter.quote('field.with.dots') }}";
        String later = " FROM special WHERE id NOT IN (SELECT id from {{ this }})";
        incrementalOver(
                project,
                "incremental_append_new_special_chars",
                "append_new_columns",
                STRING + "SELECT id, " + space + ", " + select + " FROM special where id <= 3",
                STRING + "SELECT id, " + space + ", " + select + ", " + dash + ", " + dots + later);
        targetOver(
                project,
                "incremental_append_new_special_chars_target",
                STRING + "select id, " + space + ", " + select + ", " + nullUpTo3("field-with-dash") + ", "
                        + nullUpTo3("field.with.dots") + " from special");
        incrementalOver(
                project,
                "incremental_sync_all_special_chars",
                "sync_all_columns",
                STRING + "SELECT id, " + space + ", " + select + " FROM special where id <= 3",
                STRING + "SELECT id, " + space + ", " + dash + ", " + dots + later);
        targetOver(
                project,
                "incremental_sync_all_special_chars_target",
                STRING + "select id, " + space + ", " + nullUpTo3("field-with-dash") + ", "
                        + nullUpTo3("field.with.dots") + " from special");
        // BaseIncrementalNotSchemaChange: a shorter string in the later run is no schema change
        write(project, "models/incremental_not_schema_change.sql", """
                {{ config(materialized='incremental', unique_key='user_id_current_time',
                          on_schema_change='sync_all_columns') }}
                select cast(1 as string) || '-' || cast(current_timestamp as string) as user_id_current_time,
                {% if is_incremental() %} 'thisis18characters' as platform
                {% else %} 'okthisis20characters' as platform {% endif %}
                """);

        Path home = dir.resolve("home");
        run(project, home);
        // the second run: every model takes its incremental branch; the fail policy fails its model alone
        assertThatThrownBy(() -> run(project, home)).hasMessageContaining("incremental_fail");
        assertThat(String.join("\n", lines)).contains("The columns of incremental model 'incremental_fail' changed");

        Map<String, String> pairs = new LinkedHashMap<>();
        pairs.put("merge_exclude_columns", "expected_merge_exclude_columns");
        pairs.put("incremental_ignore", "incremental_ignore_target");
        pairs.put("incremental_append_new_columns", "incremental_append_new_columns_target");
        pairs.put("incremental_append_new_columns_remove_one", "incremental_append_new_columns_remove_one_target");
        pairs.put("incremental_sync_all_columns", "incremental_sync_all_columns_target");
        pairs.put("incremental_sync_remove_only", "incremental_sync_remove_only_target");
        pairs.put("incremental_append_new_special_chars", "incremental_append_new_special_chars_target");
        pairs.put("incremental_sync_all_special_chars", "incremental_sync_all_special_chars_target");
        for (Map.Entry<String, String> pair : pairs.entrySet()) {
            assertThat(TestProjects.query(
                            home, equalityQueries(pair.getKey(), pair.getValue(), columns(home, pair.getValue()))))
                    .as(pair.getKey() + " = " + pair.getValue())
                    .containsExactly("ROW +I[0]", "ROW +I[0]");
        }
        // ignore keeps the first run's columns; append_new_columns adds, never drops; sync_all_columns drops too
        assertThat(columns(home, "incremental_ignore")).containsExactly("id", "field1", "field2");
        assertThat(columns(home, "incremental_append_new_columns_remove_one"))
                .containsExactly("id", "field1", "field2", "field3", "field4");
        assertThat(columns(home, "incremental_sync_all_columns")).containsExactly("id", "field1", "field3", "field4");
        assertThat(columns(home, "incremental_sync_remove_only")).containsExactly("id", "field1");
        assertThat(columns(home, "incremental_sync_all_special_chars"))
                .containsExactly("id", "field with space", "field-with-dash", "field.with.dots");
        assertThat(
                        TestProjects.query(
                                home,
                                "SELECT COUNT(*), COUNT(DISTINCT platform) FROM flink_dbt.incremental.incremental_not_schema_change"))
                .containsExactly("ROW +I[2, 2]");
    }

    /** BaseIncrementalBadStrategy: dbt fails the run; here the config is an error before anything runs. */
    @Test
    void aBadStrategyIsAnErrorAtTheConfig() {
        Path project = dir.resolve("bad");
        write(project, "dbt_project.yml", "name: bad\n");
        write(project, "models/incremental.sql", """
                {{ config(materialized='incremental', incremental_strategy='bad_strategy') }}
                select 1 as id
                """);
        assertThatThrownBy(() -> FlinkDbt.validate(
                        TestProjects.settings(project).build(),
                        TestProjects.invocation().build()))
                .isInstanceOf(ProblemsException.class)
                .hasMessageContaining("models/incremental.sql:1:1  config 'incremental_strategy' must be one of append,"
                        + " merge, insert_overwrite, not 'bad_strategy'.");
    }

    private static String nullUpTo3(String column) {
        return "cast(case when id <= 3 then null else {{ adapter.quote('" + column + "') }} end as {{string_type}})"
                + " as {{ adapter.quote('" + column + "') }}";
    }

    private static void incremental(Path project, String name, String policy, String first, String later) {
        write(
                project,
                "models/" + name + ".sql",
                "{{ config(materialized='incremental', unique_key='id',"
                        + " on_schema_change='" + policy
                        + "') }}\nWITH source_data AS (SELECT * FROM {{ ref('model_a') }})\n"
                        + "{% if is_incremental() %}\n" + later + "\n{% else %}\n" + first + "\n{% endif %}\n");
    }

    private static void target(Path project, String name, String select) {
        write(
                project,
                "models/" + name + ".sql",
                "{{ config(materialized='table') }}\n" + "WITH source_data AS (SELECT * FROM {{ ref('model_a') }})\n"
                        + select + "\n");
    }

    private static void incrementalOver(Path project, String name, String policy, String first, String later) {
        write(
                project,
                "models/" + name + ".sql",
                "{{ config(materialized='incremental', unique_key='id',"
                        + " on_schema_change='" + policy + "') }}\nWITH special AS (SELECT * FROM"
                        + " {{ ref('model_a_special_chars') }})\n{% if is_incremental() %}\n" + later + "\n{% else %}\n"
                        + first + "\n{% endif %}\n");
    }

    private static void targetOver(Path project, String name, String select) {
        write(
                project,
                "models/" + name + ".sql",
                "{{ config(materialized='table') }}\n"
                        + "WITH special AS (SELECT * FROM {{ ref('model_a_special_chars') }})\n" + select + "\n");
    }

    /** check_relations_equal over the target's columns: the row count difference, then both EXCEPTs. */
    private static String[] equalityQueries(String model, String target, List<String> columns) {
        String left = "flink_dbt.incremental.`" + model + "`";
        String right = "flink_dbt.incremental.`" + target + "`";
        String select = "SELECT "
                + String.join(", ", columns.stream().map(c -> "`" + c + "`").toList()) + " FROM ";
        return new String[] {
            "SELECT (SELECT COUNT(*) FROM " + left + ") - (SELECT COUNT(*) FROM " + right + ")",
            "SELECT COUNT(*) FROM ((" + select + right + " EXCEPT " + select + left + ") UNION ALL (" + select + left
                    + " EXCEPT " + select + right + "))"
        };
    }

    /** The columns of {@code model}'s table, in order. */
    private static List<String> columns(Path home, String model) throws Exception {
        return TestProjects.query(home, "DESCRIBE flink_dbt.incremental.`" + model + "`").stream()
                .map(row -> row.replaceAll("^ROW \\+I\\[([^,]*),.*$", "$1"))
                .toList();
    }

    private void run(Path project, Path home) {
        FlinkDbt.run(
                TestProjects.settings(project)
                        .home(home)
                        .tests(false)
                        .cluster(cluster.restAddress())
                        .build(),
                TestProjects.invocation(TestProjects.capturing(lines)).build());
    }

    private static void write(Path project, String file, String text) {
        TestProjects.write(project, file, text);
    }
}

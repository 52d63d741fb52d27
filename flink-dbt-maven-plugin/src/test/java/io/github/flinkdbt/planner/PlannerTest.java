package io.github.flinkdbt.planner;

import static io.github.flinkdbt.TestProjects.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.BuildSummary;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.common.Problem;
import io.github.flinkdbt.common.ProblemsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models planned by the real Flink planner: what passes, and every kind of mistake. */
class PlannerTest {

    @TempDir
    Path dir;

    private BuildSummary validate(List<Path> classpath) {
        return FlinkDbt.validate(
                TestProjects.settings(dir).classpath(classpath).build(),
                TestProjects.invocation().build());
    }

    private List<Problem> problems() {
        try {
            validate(List.of());
        } catch (ProblemsException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems");
    }

    private String messages() {
        return String.join("\n", problems().stream().map(Problem::format).toList());
    }

    private void sources() {
        write(dir, "src/main/sql/sources.yml", TestProjects.SOURCES);
        write(dir, "src/main/sql/stg.sql", "select user_id, url, viewed_at from {{ source('shop', 'page_views') }}\n");
    }

    @Test
    void everyMaterializationPlans() {
        TestProjects.shop(dir);
        BuildSummary summary = validate(List.of());
        assertThat(summary.planned())
                .containsExactlyInAnyOrder(
                        "stg_page_views", "big_orders", "clicks_per_user", "views_per_minute", "revenue_per_user");
    }

    @Test
    void thePlannerTracesEachColumnThroughViewsEphemeralsJoinsAndAggregates() throws IOException {
        TestProjects.shop(dir);
        write(dir, "src/main/sql/marts/user_activity.sql", """
                {{ config(materialized='streaming_table', unique_key='user_id') }}
                select c.user_id, c.clicks * 2 as weighted_clicks, o.amount
                from {{ ref('clicks_per_user') }} c
                join {{ source('shop', 'orders') }} o on o.user_id = c.user_id
                """);
        FlinkDbt.compile(
                TestProjects.settings(dir).build(), TestProjects.invocation().build());
        JsonNode nodes = Json.read(Files.readString(dir.resolve("target/flink-dbt/manifest.json")))
                .path("nodes");

        // through the view stg_page_views down to the source: the column itself
        assertThat(lineage(nodes, "clicks_per_user", "user_id")).containsExactly("source.shop.shop.page_views.user_id");
        assertThat(lineage(nodes, "clicks_per_user", "last_view"))
                .containsExactly("source.shop.shop.page_views.viewed_at (derived)");
        // through the ephemeral big_orders and an aggregate
        assertThat(lineage(nodes, "revenue_per_user", "revenue"))
                .containsExactly("source.shop.shop.orders.amount (derived)");
        // a join of a model's table and a source: each side's column
        assertThat(lineage(nodes, "user_activity", "weighted_clicks"))
                .containsExactly("model.shop.clicks_per_user.clicks (derived)");
        assertThat(lineage(nodes, "user_activity", "amount")).containsExactly("source.shop.shop.orders.amount");
        // a window TVF over a source with a watermark: the window from the time column; count(*) from no column
        assertThat(lineage(nodes, "views_per_minute", "window_start"))
                .containsExactly("source.shop.shop.page_views.viewed_at (derived)");
        assertThat(lineage(nodes, "views_per_minute", "view_count")).isEmpty();
    }

    private static List<String> lineage(JsonNode nodes, String model, String column) {
        List<String> origins = new ArrayList<>();
        for (JsonNode origin :
                nodes.path("model.shop." + model).path("columns").path(column).path("lineage")) {
            origins.add(origin.path("node").asText(origin.path("relation").asText()) + "."
                    + origin.path("column").asText() + (origin.path("derived").asBoolean() ? " (derived)" : ""));
        }
        return origins;
    }

    @Test
    void snapshotMistakesAreReportedAtTheSnapshotWithTheColumnsItHas() {
        sources();
        write(dir, "src/main/snapshots/views.sql", """
                -- three snapshots, each with a mistake

                {% snapshot no_key %}
                {{ config(strategy='check', check_cols='all', target_shema='history') }}
                select * from {{ ref('stg') }}
                {% endsnapshot %}

                {% snapshot wrong_columns %}
                {{ config(unique_key=['user_id', 'uri'], strategy='check', check_cols=['url', 'viewd_at']) }}
                select * from {{ ref('stg') }}
                {% endsnapshot %}

                {% snapshot text_time %}
                {{ config(unique_key='user_id', strategy='timestamp', updated_at='url') }}
                select * from {{ ref('stg') }}
                {% endsnapshot %}
                """);
        write(dir, "src/main/snapshots/unclosed.sql", "{% snapshot unclosed %}\nselect 1 as id\n");
        assertThat(messages())
                .contains("src/main/snapshots/unclosed.sql:1:1  This {% snapshot %} block has no {% endsnapshot %}")
                .contains("src/main/snapshots/views.sql:3:1  Snapshot 'no_key' has no unique_key: it needs to know"
                        + " which rows are versions of one another.")
                .contains("src/main/snapshots/views.sql:4:1  Unknown snapshot config key 'target_shema' (snapshot"
                        + " 'no_key'). Did you mean 'target_schema'?")
                .contains("src/main/snapshots/views.sql:8:1  Snapshot 'wrong_columns': unique_key names 'uri', which is"
                        + " not a column of its query. Did you mean 'url'?")
                .contains(
                        "src/main/snapshots/views.sql:8:1  Snapshot 'wrong_columns': check_cols names 'viewd_at', which"
                                + " is not a column of its query. Did you mean 'viewed_at'?")
                .contains("src/main/snapshots/views.sql:13:1  Snapshot 'text_time': updated_at column 'url' is STRING,"
                        + " not a timestamp or date.");
    }

    @Test
    void aSnapshotPlansAndItsTableIsReadLikeAModel() {
        sources();
        write(dir, "src/main/snapshots/user_views.sql", """
                {% snapshot user_views %}
                {{ config(unique_key=['user_id', 'url'], strategy='timestamp', updated_at='viewed_at',
                          hard_deletes='new_record', snapshot_meta_column_names={'dbt_valid_to': 'valid_until'}) }}
                select * from {{ ref('stg') }}
                {% endsnapshot %}
                """);
        write(
                dir,
                "src/main/sql/current_views.sql",
                "select user_id, url from {{ ref('user_views') }} where valid_until is null and dbt_is_deleted = 'False'\n");
        BuildSummary summary = validate(List.of());
        assertThat(summary.planned()).contains("user_views", "current_views");
    }

    @Test
    void aMistypedConnectorOptionIsReportedAtItsOwnLineWithTheClosestOption() {
        write(dir, "src/main/sql/sources.yml", """
                version: 2
                sources:
                  - name: shop
                    tables:
                      - name: page_views
                        config:
                          connector_properties:
                            connector: datagen
                            number-of-rows: '100'
                            fields.user_id.min: '1'
                            fields.user_id.mx: '10'
                            fields.url.length: '8'
                            fields.url.secret-password: hunter2-value
                        columns:
                          - {name: user_id, data_type: BIGINT}
                          - {name: url, data_type: STRING}
                """);
        write(dir, "src/main/sql/stg.sql", "select user_id, url from {{ source('shop', 'page_views') }}\n");
        write(dir, "src/main/sql/printed.sql", """
                {{ config(materialized='streaming_table') }}
                select user_id from {{ ref('stg') }}
                """);
        write(dir, "src/main/sql/schema.yml", """
                version: 2
                models:
                  - name: printed
                    config:
                      connector_properties:
                        connector: print
                        print-identifer: clicks
                """);
        List<Problem> problems = problems();
        String all = String.join("\n", problems.stream().map(Problem::format).toList());
        // each unknown option at the line that sets it, with the option meant; never a value
        assertThat(all)
                .contains("src/main/sql/sources.yml:11:13  Source 'shop.page_views': the datagen connector has no "
                        + "option 'fields.user_id.mx'. Did you mean 'fields.user_id.max'?")
                .contains("src/main/sql/sources.yml:13:13  Source 'shop.page_views': the datagen connector has no "
                        + "option 'fields.url.secret-password'.")
                .doesNotContain("hunter2-value")
                .doesNotContain("Table options are");
        assertThat(problems)
                .filteredOn(p -> p.message().contains("secret-password"))
                .singleElement()
                .satisfies(p -> assertThat(p.hint()).startsWith("Its options: fields.url.kind"));
        // the source's problems stop what reads it; the model's own sink is checked once its input is sound
        write(dir, "src/main/sql/sources.yml", TestProjects.SOURCES);
        write(dir, "src/main/sql/stg.sql", "select user_id, url from {{ source('shop', 'page_views') }}\n");
        assertThat(messages())
                .isEqualTo("src/main/sql/schema.yml:7:9  Model 'printed': the print connector has no "
                        + "option 'print-identifer'. Did you mean 'print-identifier'?");
    }

    @Test
    void unknownColumnsAreReportedAtTheirPositionWithTheColumnsThatExist() {
        sources();
        write(dir, "src/main/sql/bad.sql", "select\n  user_id,\n  {{ 'nonexistent_col' }}\nfrom {{ ref('stg') }}\n");
        assertThat(messages())
                .isEqualTo("src/main/sql/bad.sql:3:3  Column 'nonexistent_col' not found in ref('stg').\n"
                        + "          (columns of ref('stg'): user_id, url, viewed_at)");
    }

    @Test
    void rawTableNamesAndUnknownFunctionsGetHints() {
        sources();
        write(dir, "src/main/sql/raw.sql", "select * from stg\n");
        write(dir, "src/main/sql/fn.sql", "select to_cents(user_id) as c from {{ ref('stg') }}\n");
        assertThat(messages())
                .contains("src/main/sql/fn.sql:1:8  No function matches to_cents(<NUMERIC>)")
                .contains("functions:\n              - name: to_cents\n                class: com.example.ToCents")
                .contains("src/main/sql/raw.sql:1:15  Table 'stg' is not known; 'stg' is a model.\n"
                        + "          Read it with {{ ref('stg') }}.");
    }

    @Test
    void syntaxErrorsPointAtTheToken() {
        sources();
        write(dir, "src/main/sql/bad.sql", "select user_id,, url\nfrom {{ ref('stg') }}\n");
        assertThat(messages()).isEqualTo("src/main/sql/bad.sql:1:16  SQL syntax error at \",\".");
    }

    @Test
    void aMergeColumnTheModelDoesNotHaveIsReportedWithItsColumns() {
        write(dir, "src/main/sql/totals.sql", """
                {{ config(materialized='incremental', incremental_strategy='merge', unique_key='id',
                          merge_exclude_columns=['frist_run']) }}
                select 1 as id, 2 as first_run
                """);
        assertThat(messages())
                .isEqualTo("src/main/sql/totals.sql:1:1  merge_exclude_columns names 'frist_run', which is not a"
                        + " column of model 'totals'. Did you mean 'first_run'?\n          Its columns: id, first_run");
    }

    @Test
    void problemsInOneModelSkipOnlyItsReaders() {
        sources();
        write(dir, "src/main/sql/bad.sql", "select nope from {{ ref('stg') }}\n");
        write(dir, "src/main/sql/after_bad.sql", "select * from {{ ref('bad') }}\n");
        write(dir, "src/main/sql/bad2.sql", "select also_nope from {{ ref('stg') }}\n");
        assertThat(problems())
                .extracting(p -> p.position().file())
                .containsExactly("src/main/sql/bad.sql", "src/main/sql/bad2.sql");
    }

    @Test
    void anUpdatingStreamingModelGetsTheKeyThePlannerDerivesOrIsAskedForOne() throws IOException {
        sources();
        write(
                dir,
                "src/main/sql/counts.sql",
                "{{ config(materialized='streaming_table') }}\n"
                        + "select user_id, url, count(*) as view_count from {{ ref('stg') }} group by user_id, url\n");
        write(dir, "src/main/sql/latest.sql", """
                {{ config(materialized='streaming_table') }}
                select user_id, url, viewed_at from (
                  select *, row_number() over (partition by user_id order by viewed_at desc) as n
                  from {{ ref('stg') }}) where n = 1
                """);
        List<String> lines = new ArrayList<>();
        FlinkDbt.compile(
                TestProjects.settings(dir).build(),
                TestProjects.invocation(TestProjects.capturing(lines)).build());
        assertThat(lines)
                .contains(
                        "flink-dbt: counts: unique_key (user_id, url) inferred from its query",
                        "flink-dbt: latest: unique_key (user_id) inferred from its query");
        JsonNode manifest = Json.read(Files.readString(dir.resolve("target/flink-dbt/manifest.json")));
        JsonNode counts = manifest.path("nodes").path("model.shop.counts");
        assertThat(counts.path("config").path("unique_key").toString()).isEqualTo("[\"user_id\",\"url\"]");
        assertThat(counts.path("meta")
                        .path("flink_dbt")
                        .path("unique_key_inferred")
                        .asBoolean())
                .isTrue();
        assertThat(manifest.path("nodes")
                        .path("model.shop.latest")
                        .path("config")
                        .path("unique_key")
                        .asText())
                .isEqualTo("user_id");

        // the key comes back from the plan cache (another model changed: counts is not planned again)
        write(dir, "src/main/sql/other.sql", "select 1 as x\n");
        lines.clear();
        FlinkDbt.compile(
                TestProjects.settings(dir).build(),
                TestProjects.invocation(TestProjects.capturing(lines)).build());
        assertThat(lines).contains("flink-dbt: counts: unique_key (user_id, url) inferred from its query");

        // updates whose key the query drops: no key to derive, the model must name one
        write(
                dir,
                "src/main/sql/counts.sql",
                "{{ config(materialized='streaming_table') }}\n"
                        + "select view_count from (select user_id, count(*) as view_count from {{ ref('stg') }}"
                        + " group by user_id)\n");
        assertThat(messages())
                .contains("src/main/sql/counts.sql:1:1  Model 'counts' produces updates (its rows change as new events"
                        + " arrive), but has no unique_key, and none follows from its query")
                .contains("{{ config(unique_key='<column>') }}");
    }

    @Test
    void unnamedColumnsMustGetAnAlias() {
        sources();
        write(dir, "src/main/sql/agg.sql", "select user_id, count(*) from {{ ref('stg') }} group by user_id\n");
        assertThat(messages()).contains("Column 2 of model 'agg' has no name (Flink calls it EXPR$1).");
    }

    @Test
    void sourcesWithBadTypesOrMissingConnectors() {
        write(dir, "src/main/sql/sources.yml", """
                version: 2
                sources:
                  - name: s
                    tables:
                      - name: typo
                        config: {connector_properties: {connector: datagen}}
                        columns:
                          - {name: a, data_type: BIGNT}
                      - name: pulsar
                        config: {connector_properties: {connector: pulsar, topic: t}}
                        columns:
                          - {name: a, data_type: BIGINT}
                """);
        write(dir, "src/main/sql/m.sql", "select * from {{ source('s', 'pulsar') }}\n");
        String messages = messages();
        assertThat(messages)
                .contains("src/main/sql/sources.yml:8:13  Column 'a': 'BIGNT' is not a Flink SQL type. Did "
                        + "you mean 'BIGINT'?");
        try {
            Files.writeString(
                    dir.resolve("src/main/sql/sources.yml"),
                    Files.readString(dir.resolve("src/main/sql/sources.yml")).replace("BIGNT", "BIGINT"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(messages())
                .contains(
                        "src/main/sql/sources.yml:9:9  Source 's.pulsar': no connector 'pulsar' on the " + "classpath.")
                .contains("Add the connector to the project's <dependencies>");
    }

    @Test
    void batchModelsCannotReadUnboundedSources() {
        write(
                dir,
                "src/main/sql/sources.yml",
                "version: 2\nsources:\n  - name: shop\n    tables:\n"
                        + "      - name: orders\n        config: {connector_properties: {connector: datagen}}\n"
                        + "        columns: [{name: id, data_type: BIGINT}]\n");
        write(
                dir,
                "src/main/sql/t.sql",
                "{{ config(materialized='table') }}\nselect count(*) as n from {{ source('shop', " + "'orders') }}\n");
        assertThat(messages()).contains("src/main/sql/t.sql").containsIgnoringCase("unbounded");
    }

    @Test
    void theIncrementalBranchIsPlannedToo() {
        sources();
        write(dir, "src/main/sql/inc.sql", """
                {{ config(materialized='incremental', unique_key='user_id', incremental_strategy='merge') }}
                select user_id, max(viewed_at) as last_view from {{ ref('stg') }}
                {% if is_incremental() %}where viewed_at > (select max(no_such) from {{ this }}){% endif %}
                group by user_id
                """);
        assertThat(messages())
                .contains("src/main/sql/inc.sql:3:56  Column 'no_such' not found")
                .contains("(in the is_incremental() branch).")
                .contains("{{ this }}: user_id, last_view");
    }

    @Test
    void javaUdfsOfTheProjectAreCallable() throws IOException {
        Path classes = compileUdf();
        sources();
        write(
                dir,
                "src/main/sql/functions.yml",
                "version: 2\nfunctions:\n  - name: shout\n"
                        + "    class: com.example.Shout\n  - name: ghost\n    class: com.example.Ghost\n");
        write(dir, "src/main/sql/loud.sql", """
                {{ config(materialized='streaming_table') }}
                select shout(url) as url from {{ ref('stg') }}
                """);
        assertThatThrownBy(() -> validate(List.of(classes)))
                .isInstanceOf(ProblemsException.class)
                .hasMessageContaining(
                        "src/main/sql/functions.yml:5:5  Function 'ghost': class com.example.Ghost is not "
                                + "on the project's classpath.");
        write(
                dir,
                "src/main/sql/functions.yml",
                "version: 2\nfunctions:\n  - name: shout\n    class: com.example.Shout\n");
        FlinkDbt.compile(
                TestProjects.settings(dir).classpath(List.of(classes)).build(),
                TestProjects.invocation().build());
        // the project's function, by its name, in the plan that runs: no built-in has that name
        String plan = Files.readString(dir.resolve("target/flink-dbt/plans/loud.json"));
        assertThat(plan).contains("\"systemName\": \"shout\"");
        assertThat(Files.readString(dir.resolve("target/flink-dbt/manifest.json")))
                .contains("\"name\": \"url\"");
    }

    private Path compileUdf() throws IOException {
        Path source = dir.resolve("udf/com/example/Shout.java");
        Files.createDirectories(source.getParent());
        Files.writeString(
                source,
                "package com.example;\npublic class Shout extends "
                        + "org.apache.flink.table.functions.ScalarFunction {\n  public String eval(String s) { return s == null ? "
                        + "null : s.toUpperCase(); }\n}\n",
                StandardCharsets.UTF_8);
        Path classes = dir.resolve("udf-classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int exit = javac.run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                source.toString());
        assertThat(exit).isZero();
        return classes;
    }

    @Test
    void unchangedModelsAreNotPlannedAgain() throws IOException {
        TestProjects.shop(dir);
        Settings request = TestProjects.settings(dir).build();
        assertThat(FlinkDbt.compile(request, TestProjects.invocation().build()).planned())
                .hasSize(5);
        // the same inputs: nothing runs at all
        assertThat(FlinkDbt.compile(request, TestProjects.invocation().build()).planned())
                .isEmpty();
        // the view changes: it and everything that reads it is planned again, nothing else
        write(
                dir,
                "src/main/sql/staging/stg_page_views.sql",
                "select user_id, url, viewed_at\nfrom {{ source('shop', "
                        + "'page_views') }}\nwhere url is not null and user_id > 0\n");
        BuildSummary changed =
                FlinkDbt.compile(request, TestProjects.invocation().build());
        assertThat(changed.planned())
                .containsExactlyInAnyOrder("stg_page_views", "clicks_per_user", "views_per_minute");
        assertThat(changed.reused()).containsExactlyInAnyOrder("big_orders", "revenue_per_user");
        // a streaming table changes but keeps its columns: what reads its table needs no new plan
        write(dir, "src/main/sql/marts/downstream.sql", "select user_id from {{ ref('clicks_per_user') }}\n");
        FlinkDbt.compile(request, TestProjects.invocation().build());
        write(
                dir,
                "src/main/sql/marts/clicks_per_user.sql",
                "{{ config(materialized='streaming_table', "
                        + "unique_key='user_id') }}\nselect user_id, count(*) as clicks, max(viewed_at) as last_view\nfrom "
                        + "{{ ref('stg_page_views') }}\nwhere url <> ''\ngroup by user_id\n");
        assertThat(FlinkDbt.compile(request, TestProjects.invocation().build()).planned())
                .containsExactly("clicks_per_user");
    }
}

package io.github.flinkdbt.project;

import static io.github.flinkdbt.TestProjects.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {

    @TempDir
    Path dir;

    @Test
    void configLayersFileOverSchemaOverDbtProject() {
        write(dir, "dbt_project.yml", """
                name: shop
                model-paths: [src/main/sql]
                models:
                  shop:
                    +materialized: view
                    +tags: [all]
                    marts:
                      +materialized: table
                      +schema: marts
                """);
        write(dir, "src/main/sql/marts/a.sql", "select 1 as x\n");
        write(
                dir,
                "src/main/sql/marts/b.sql",
                "{{ config(materialized='streaming_table', tags=['fast']) }}\nselect 1 as x\n");
        write(dir, "src/main/sql/c.sql", "select 1 as x\n");
        write(
                dir,
                "src/main/sql/schema.yml",
                "version: 2\nmodels:\n  - name: b\n    config:\n      materialized: view\n" + "      tags: [yaml]\n");
        Loading.Result result = Loading.load(dir);
        assertThat(result.problems()).isEmpty();
        assertThat(result.model("a").materialization()).isEqualTo(Materialization.TABLE);
        assertThat(result.model("a").relation()).isEqualTo(new Relation("flink_dbt", "marts", "a"));
        assertThat(result.model("b").materialization()).isEqualTo(Materialization.STREAMING_TABLE);
        assertThat(result.model("b").config().tags()).containsExactly("all", "yaml", "fast");
        assertThat(result.model("c").materialization()).isEqualTo(Materialization.VIEW);
    }

    @Test
    void keysThatDoNotApplyToTheMaterializationAreRejected() {
        write(
                dir,
                "src/main/sql/v.sql",
                "{{ config(materialized='view', unique_key='id', pre_hook='x') }}\nselect 1 as id\n");
        write(dir, "src/main/sql/t.sql", "{{ config(materialized='tabel') }}\nselect 1 as id\n");
        write(
                dir,
                "src/main/sql/s.sql",
                "{{ config(materialized='streaming_table', post_hook='x') }}\nselect 1 as id\n");
        Loading.Result result = Loading.load(dir);
        assertThat(result.messages())
                .contains("t.sql:1:1  Unknown materialization 'tabel' for model 't'. Did you mean 'table'?")
                .contains("s.sql:1:1  config 'post_hook' does not apply to materialized='streaming_table' (model 's').")
                .doesNotContain("'pre_hook'")
                .contains("v.sql:1:1  config 'unique_key' does not apply to materialized='view' (model 'v').");
    }

    @Test
    void mergeColumnsAreOneOfTwoListsForAMergeOnly() {
        write(dir, "src/main/sql/both.sql", """
                {{ config(materialized='incremental', incremental_strategy='merge', unique_key='id',
                          merge_update_columns=['a'], merge_exclude_columns=['b']) }}
                select 1 as id, 2 as a, 3 as b
                """);
        write(dir, "src/main/sql/appended.sql", """
                {{ config(materialized='incremental', merge_exclude_columns=['b']) }}
                select 1 as id, 3 as b
                """);
        write(dir, "src/main/sql/fine.sql", """
                {{ config(materialized='incremental', incremental_strategy='merge', unique_key='id',
                          merge_exclude_columns=['b']) }}
                select 1 as id, 3 as b
                """);
        Loading.Result result = Loading.load(dir);
        assertThat(result.messages())
                .contains("both.sql:2:1  'both' sets both merge_update_columns and merge_exclude_columns.")
                .contains("appended.sql:1:1  merge_exclude_columns of 'appended' applies to incremental_strategy"
                        + " 'merge', not 'append'.")
                .doesNotContain("fine.sql");
        assertThat(result.model("fine").config().mergeExcludeColumns()).containsExactly("b");
        assertThat(result.model("fine").config().mergeUpdateColumns()).isEmpty();
    }

    @Test
    void insertOverwriteNeedsPartitions() {
        write(dir, "src/main/sql/whole.sql", """
                {{ config(materialized='incremental', incremental_strategy='insert_overwrite') }}
                select 1 as id
                """);
        write(dir, "src/main/sql/by_day.sql", """
                {{ config(materialized='incremental', incremental_strategy='insert_overwrite', partition_by=['day']) }}
                select 1 as id, 2 as day
                """);
        Loading.Result result = Loading.load(dir);
        assertThat(result.messages())
                .isEqualTo("src/main/sql/whole.sql:1:1  incremental_strategy 'insert_overwrite' of 'whole' needs"
                        + " partition_by: it replaces the partitions its new rows fall in (without partitions it would"
                        + " replace the whole table).\n"
                        + "          Add partition_by=['<column>'] to the config of 'whole', or use 'merge' with a"
                        + " unique_key.");
        assertThat(result.model("by_day").config().incrementalStrategy()).isEqualTo("insert_overwrite");
    }

    @Test
    void dbtFlinkAdapterSpellingOfStreamingTables() {
        write(
                dir,
                "src/main/sql/t.sql",
                "{{ config(materialized='table', type='streaming', primary_key='id') }}\n" + "select 1 as id\n");
        Loading.Result result = Loading.load(dir);
        assertThat(result.problems()).isEmpty();
        assertThat(result.model("t").materialization()).isEqualTo(Materialization.STREAMING_TABLE);
        assertThat(result.model("t").config().uniqueKey()).containsExactly("id");
    }

    @Test
    void otherFlinkAdaptersKeysAndQueryHintsAreMappedOrIgnoredWithOneWarning() {
        write(dir, "dbt_project.yml", """
                name: shop
                model-paths: [src/main/sql]
                test-paths: [src/test/sql]
                models:
                  shop:
                    +upgrade_mode: stateless
                    +catalog_managed: true
                    +unique_key: id
                    +default_connector_properties:
                      connector: blackhole
                """);
        write(dir, "src/main/sql/a.sql", """
                {{ config(materialized='table', execution_mode='streaming') }}
                select 1 as id
                """);
        write(dir, "src/main/sql/b.sql", """
                /** mode('streaming') execution_config('pipeline.name=b;table.exec.mini-batch.enabled=true') */
                /** fetch_timeout_ms(5000) drop_statement('DROP TABLE IF EXISTS b') */
                {{ config(materialized='table', statement_set_group='g') }}
                select 1 as id
                """);
        write(dir, "src/main/sql/v.sql", "select 1 as id\n");
        write(dir, "src/test/sql/no_rows.sql", """
                select /** fetch_timeout_ms(5000) mode('streaming') */ * from {{ ref('a') }} where id < 0
                """);
        Loading.Result result = Loading.load(dir);
        assertThat(result.problems()).isEmpty();
        assertThat(result.model("a").materialization()).isEqualTo(Materialization.STREAMING_TABLE);
        assertThat(result.model("b").materialization()).isEqualTo(Materialization.STREAMING_TABLE);
        assertThat(result.model("b").config().executionConfig())
                .containsEntry("pipeline.name", "b")
                .containsEntry("table.exec.mini-batch.enabled", "true");
        assertThat(result.model("a").config().connectorProperties()).containsEntry("connector", "blackhole");
        assertThat(result.model("v").materialization()).isEqualTo(Materialization.VIEW);
        // one warning per key or hint, naming every place it was set
        assertThat(result.warnings())
                .containsExactlyInAnyOrder(
                        "dbt_project.yml:6:5  config 'upgrade_mode' (another Flink adapter's) is ignored: deploy always"
                                + " stops a streaming model with a savepoint and restores it when the new plan can;"
                                + " on_state_incompatible says what happens when it cannot.",
                        "dbt_project.yml:7:5  config 'catalog_managed' (another Flink adapter's) is ignored: every"
                                + " model is a table of the project's Iceberg catalog here.",
                        "dbt_project.yml:8:5  +unique_key reaches view models, to which it does not apply; it is"
                                + " ignored for them (it applies to: table, streaming_table, incremental).",
                        "dbt_project.yml:9:5  +default_connector_properties reaches view models, to which it does not"
                                + " apply; it is ignored for them (it applies to: table, streaming_table, incremental).",
                        "src/main/sql/b.sql:2:5  query hint 'fetch_timeout_ms' (dbt-flink-adapter) is ignored: tests"
                                + " and runs read bounded inputs to their end here.",
                        "src/main/sql/b.sql:2:28  query hint 'drop_statement' (dbt-flink-adapter) is ignored: run and"
                                + " deploy replace a model's relation in one step themselves.",
                        "src/main/sql/b.sql:3:1  config 'statement_set_group' (another Flink adapter's) is ignored:"
                                + " each streaming model runs as its own job here, so that its state can be upgraded"
                                + " alone.",
                        "src/test/sql/no_rows.sql:1:12  query hint 'fetch_timeout_ms' (dbt-flink-adapter) is ignored"
                                + " in tests: a test reads its bounded inputs to their end, in batch mode.",
                        "src/test/sql/no_rows.sql:1:35  query hint 'mode' (dbt-flink-adapter) is ignored in tests: a"
                                + " test reads its bounded inputs to their end, in batch mode.");
    }

    @Test
    void dbtProjectFolderKeysMustNameFolders() {
        write(
                dir,
                "dbt_project.yml",
                "name: shop\nmodel-paths: [src/main/sql]\nmodels:\n  shop:\n    mart:\n"
                        + "      +materialized: table\n");
        write(dir, "src/main/sql/marts/a.sql", "select 1 as x\n");
        Loading.Result result = Loading.load(dir);
        assertThat(result.messages())
                .contains("dbt_project.yml:5:5  'mart' in models.(project) is neither a folder, a "
                        + "model nor a config key. Did you mean 'marts'?");
    }
}

package io.github.flinkdbt.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.BuildSummary;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.cluster.EmbeddedCluster;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.mojo.MavenHints;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} on the embedded cluster, end to end: every materialization into the persistent
 * catalog, read back from a JVM that knows nothing but the home directory.
 */
class RunTest {

    /** One cluster for every run of this class, as a team's session cluster would be. */
    private static EmbeddedCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedCluster.start(0, 8, Map.of(), MavenHints.get());
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void runsEveryMaterializationIntoTablesAFreshJvmCanRead() throws Exception {
        Path project = TestProjects.shop(dir.resolve("shop"));
        Path home = dir.resolve("home");
        RunOutcome outcome = run(settings(project, home).show(List.of("clicks_per_user")));

        Map<String, String> status = new TreeMap<>();
        outcome.models().forEach(m -> status.put(m.name(), m.status() + " " + m.materialization()));
        assertThat(status)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "stg_page_views", "success view",
                        "big_orders", "success ephemeral",
                        "clicks_per_user", "success streaming_table",
                        "views_per_minute", "success streaming_table",
                        "revenue_per_user", "success table"));
        ModelRun clicks = outcome.models().stream()
                .filter(m -> m.name().equals("clicks_per_user"))
                .findFirst()
                .orElseThrow();
        assertThat(clicks.jobId()).matches("[0-9a-f]{32}");
        assertThat(clicks.rows()).isPositive();
        assertThat(Files.readString(project.resolve("target/flink-dbt/run_results.json")))
                .contains("\"unique_id\": \"model.shop.clicks_per_user\"", "\"status\": \"success\"", "\"job_id\"");
        assertThat(project.resolve("target/flink-dbt/manifest.json")).exists();

        // a new JVM, nothing declared: the tables, the view over the source and the source itself
        List<String> rows = query(
                home,
                "SELECT COUNT(*), SUM(clicks) FROM flink_dbt.shop.clicks_per_user",
                "SELECT COUNT(*) FROM flink_dbt.shop.stg_page_views",
                "SELECT COUNT(*), COUNT(DISTINCT user_id), MIN(revenue) FROM flink_dbt.shop.revenue_per_user",
                "SELECT SUM(view_count) FROM flink_dbt.shop.views_per_minute");
        // 100 page views of 10 users; the view filters none of them (datagen URLs are never null)
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).isEqualTo("ROW +I[10, 100]");
        assertThat(rows.get(1)).isEqualTo("ROW +I[100]");
        assertThat(rows.get(3)).isEqualTo("ROW +I[100]");
        // revenue per user of random orders over 10: one row per user, as many as the run said it wrote
        ModelRun revenue = outcome.models().stream()
                .filter(m -> m.name().equals("revenue_per_user"))
                .findFirst()
                .orElseThrow();
        Matcher counts = Pattern.compile("ROW \\+I\\[(\\d+), (\\d+), (.+)\\]").matcher(rows.get(2));
        assertThat(counts.matches()).as(rows.get(2)).isTrue();
        long users = Long.parseLong(counts.group(1));
        assertThat(users).isPositive().isLessThanOrEqualTo(50).isEqualTo(revenue.rows());
        assertThat(Long.parseLong(counts.group(2))).isEqualTo(users);
        assertThat(new BigDecimal(counts.group(3))).isGreaterThan(BigDecimal.TEN);
    }

    /**
     * Every JSON file flink-dbt writes, in the compile output and the home, is in the one JSON style
     * (written again from its own tree it is the same bytes); the home's are the same bytes again
     * when the same project runs again.
     */
    @Test
    void everyJsonFileItWritesHasOneStyleAndTheHomesAreStableAcrossRuns() throws Exception {
        Path project = TestProjects.shop(dir.resolve("shop"));
        Path home = dir.resolve("home");
        run(settings(project, home));
        Map<String, String> first = json(home, project.resolve("target/flink-dbt"));
        assertThat(first.keySet())
                .contains(
                        "home/state/shop/clicks_per_user/plan.json",
                        "home/state/shop/built.json",
                        "target/manifest.json",
                        "target/run_results.json")
                .anyMatch(file -> file.startsWith("home/catalog/shop/"));
        first.forEach(
                (file, text) -> assertThat(Json.write(Json.read(text))).as(file).isEqualTo(text));

        run(settings(project, home));
        Map<String, String> second = json(home, project.resolve("target/flink-dbt"));
        first.keySet().stream()
                .filter(file -> file.startsWith("home/"))
                .forEach(file -> assertThat(second.get(file)).as(file).isEqualTo(first.get(file)));

        // state:modified against what the home last built: only the model changed since, and what reads it
        TestProjects.write(
                project,
                "src/main/sql/staging/stg_page_views.sql",
                Files.readString(project.resolve("src/main/sql/staging/stg_page_views.sql")) + "-- reviewed\n");
        BuildSummary modified = FlinkDbt.validate(
                settings(project, home)
                        .select("state:modified+")
                        .useCache(false)
                        .build(),
                invocation(new ArrayList<>()));
        assertThat(modified.planned())
                .containsExactlyInAnyOrder("stg_page_views", "clicks_per_user", "views_per_minute");
    }

    /** The JSON files flink-dbt writes (not Iceberg's, not Flink's), by where they are. */
    private static Map<String, String> json(Path home, Path output) throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (Map.Entry<String, Path> root : Map.of(
                        "home/catalog", home.resolve("catalog"), "home/state", home.resolve("state"), "target", output)
                .entrySet()) {
            try (Stream<Path> walk = Files.walk(root.getValue())) {
                for (Path file : walk.filter(f -> f.toString().endsWith(".json"))
                        .filter(f -> !f.toString().contains("/checkpoints/")
                                && !f.toString().contains("/savepoints/"))
                        .toList()) {
                    files.put(root.getKey() + "/" + root.getValue().relativize(file), Files.readString(file));
                }
            }
        }
        return files;
    }

    @Test
    void aCompileRightAfterARunChangesNothingAndTheBundleHoldsThePlansThatRan() throws Exception {
        Path project = TestProjects.shop(dir.resolve("shop"));
        Path home = dir.resolve("home");
        Settings settings = settings(project, home).build();
        FlinkDbt.run(settings, invocation(new ArrayList<>()));
        Map<String, String> ran = new TreeMap<>();
        for (String model : List.of("clicks_per_user", "views_per_minute")) {
            ran.put(model, Files.readString(home.resolve("state/shop/" + model + "/plan.json")));
        }

        // the home now runs these plans: continuing their UIDs gives the same plans, nothing to do
        List<String> lines = new ArrayList<>();
        BuildSummary compile = FlinkDbt.compile(settings, invocation(lines));
        assertThat(compile.outputChanged()).isFalse();
        assertThat(compile.planned()).isEmpty();
        assertThat(lines).anyMatch(line -> line.contains("nothing changed since the last build"));

        // what bundle packages is what ran
        Path jar = dir.resolve("shop.jar");
        FlinkDbt.bundle(
                settings,
                invocation(lines),
                project.resolve("target/classes"),
                jar,
                LocalDateTime.of(2026, 1, 1, 0, 0));
        try (JarFile bundle = new JarFile(jar.toFile())) {
            for (Map.Entry<String, String> plan : ran.entrySet()) {
                try (var in = bundle.getInputStream(bundle.getEntry("flink-dbt/plans/" + plan.getKey() + ".json"))) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                            .as(plan.getKey())
                            .isEqualTo(plan.getValue());
                }
            }
        }
    }

    @Test
    void aFailingModelSkipsItsDownstreamOnlyAndATableKeepsItsPreviousContents() throws Exception {
        Path project = TestProjects.shop(dir.resolve("shop"));
        Path home = dir.resolve("home");
        run(settings(project, home).select("revenue_per_user"));
        String before = query(home, "SELECT COUNT(*), SUM(revenue) FROM flink_dbt.shop.revenue_per_user")
                .get(0);

        // the same table now fails at run time (a value that does not convert), and a model reads it
        TestProjects.write(project, "src/main/sql/marts/revenue_per_user.sql", """
                {{ config(materialized='table') }}
                select user_id, sum(amount) as revenue, cast(concat('x', cast(max(order_id) as string)) as int) as bad
                from {{ ref('big_orders') }} group by user_id
                """);
        TestProjects.write(project, "src/main/sql/marts/top_users.sql", """
                {{ config(materialized='table') }}
                select user_id from {{ ref('revenue_per_user') }} where revenue > 100
                """);
        List<String> lines = new ArrayList<>();
        assertThatThrownBy(() -> run(settings(project, home).select("revenue_per_user+ stg_page_views"), lines))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("1 OK, 1 failed, 1 skipped")
                .hasMessageContaining("revenue_per_user: ")
                .hasMessageContaining("NumberFormatException")
                .hasMessageContaining("src/main/sql/marts/revenue_per_user.sql");
        assertThat(String.join("\n", lines))
                .containsPattern("top_users +table +SKIP .*upstream model 'revenue_per_user'");

        // readers still see the previous contents, under the previous definition
        assertThat(query(home, "SELECT COUNT(*), SUM(revenue) FROM flink_dbt.shop.revenue_per_user")
                        .get(0))
                .isEqualTo(before);
    }

    @Test
    void incrementalModelsAddOnlyNewRows() throws Exception {
        Path project = dir.resolve("files");
        Path input = Files.createDirectories(dir.resolve("input"));
        csvSource(project, input, "events", "id BIGINT", "amount INT");
        TestProjects.write(project, "src/main/sql/events_copy.sql", """
                {{ config(materialized='incremental', incremental_strategy='append') }}
                select id, amount from {{ source('raw', 'events') }}
                {% if is_incremental() %}
                where id > (select coalesce(max(id), 0) from {{ this }})
                {% endif %}
                """);
        // over an Iceberg input, without is_incremental(): by snapshot range
        TestProjects.write(project, "src/main/sql/events_doubled.sql", """
                {{ config(materialized='incremental') }}
                select id,
                  {% if var('boom', false) %} cast(concat('x', cast(amount as string)) as int) {% else %} amount {% endif %} * 2
                  as doubled
                from {{ ref('events_copy') }}
                """);
        Path home = dir.resolve("home");
        Files.writeString(input.resolve("1.csv"), "1,10\n2,20\n3,30\n");
        assertThat(rows(run(settings(project, home)))).isEqualTo(Map.of("events_copy", 3L, "events_doubled", 3L));

        Files.writeString(input.resolve("2.csv"), "4,40\n5,50\n");
        // events_doubled fails on the new rows, after events_copy committed them ...
        assertThatThrownBy(() -> run(settings(project, home).vars(Map.of("boom", true))))
                .hasMessageContaining("1 OK, 1 failed");
        // ... so the next run reads the same snapshots again: nothing skipped, nothing twice
        assertThat(rows(run(settings(project, home)))).isEqualTo(Map.of("events_copy", 0L, "events_doubled", 2L));
        assertThat(query(
                        home,
                        "SELECT COUNT(*), COUNT(DISTINCT id), SUM(amount) FROM flink_dbt.files.events_copy",
                        "SELECT COUNT(*), COUNT(DISTINCT id), SUM(doubled) FROM flink_dbt.files.events_doubled"))
                .containsExactly("ROW +I[5, 5, 150]", "ROW +I[5, 5, 300]");

        // nothing new: nothing added, and the recorded snapshots do not move past unread data
        assertThat(rows(run(settings(project, home)))).isEqualTo(Map.of("events_copy", 0L, "events_doubled", 0L));

        assertThat(rows(run(settings(project, home).fullRefresh(true))))
                .isEqualTo(Map.of("events_copy", 5L, "events_doubled", 5L));
        assertThat(query(
                        home,
                        "SELECT COUNT(*) FROM flink_dbt.files.events_copy",
                        "SELECT COUNT(*), SUM(doubled) FROM flink_dbt.files.events_doubled"))
                .containsExactly("ROW +I[5]", "ROW +I[5, 300]");
    }

    @Test
    void mergeIncrementalsUpsertByUniqueKeyAndInsertOverwriteReplacesPartitions() throws Exception {
        Path project = dir.resolve("days");
        Path input = Files.createDirectories(dir.resolve("input"));
        csvSource(project, input, "sales", "sale_day INT", "amount INT");
        // a merge that leaves a column alone in the rows it matches, and one that updates a single column
        String firstRun = """
                {{ config(materialized='incremental', incremental_strategy='merge', unique_key='sale_day', %s) }}
                select sale_day, sum(amount) as total, count(*) as sales, {{ var('run') }} as first_run
                from {{ source('raw', 'sales') }}
                {%% if is_incremental() %%}
                where sale_day >= (select max(sale_day) from {{ this }})
                {%% endif %%}
                group by sale_day
                """;
        TestProjects.write(
                project, "src/main/sql/day_firsts.sql", firstRun.formatted("merge_exclude_columns=['first_run']"));
        TestProjects.write(
                project, "src/main/sql/day_totals_only.sql", firstRun.formatted("merge_update_columns=['total']"));
        // the days a run reads are recomputed from their sales and replace their partitions whole
        TestProjects.write(project, "src/main/sql/sales_by_day.sql", """
                {{ config(materialized='incremental', incremental_strategy='insert_overwrite', partition_by=['sale_day']) }}
                select sale_day, amount, {{ var('run') }} as run_number
                from {{ source('raw', 'sales') }}
                {% if is_incremental() %}
                where sale_day >= (select max(sale_day) from {{ this }})
                {% endif %}
                """);
        Path home = dir.resolve("home");
        Files.writeString(input.resolve("1.csv"), "1,10\n1,20\n2,5\n");
        run(settings(project, home).vars(Map.of("run", 1)));
        assertThat(query(
                        home,
                        "SELECT sale_day, total, sales, first_run FROM flink_dbt.days.day_firsts ORDER BY sale_day"))
                .containsExactly("ROW +I[1, 30, 2, 1]", "ROW +I[2, 5, 1, 1]");

        // sale_day 2 gets more sales, sale_day 3 starts
        Files.writeString(input.resolve("2.csv"), "2,7\n3,100\n");
        assertThat(rows(run(settings(project, home).vars(Map.of("run", 2)))))
                .isEqualTo(Map.of("day_firsts", 2L, "day_totals_only", 2L, "sales_by_day", 3L));
        // sale_day 1 as the first run wrote it; sale_day 2 written again whole (no sale twice), 3 added
        assertThat(
                        query(
                                home,
                                "SELECT sale_day, amount, run_number FROM flink_dbt.days.sales_by_day ORDER BY sale_day, amount"))
                .containsExactly(
                        "ROW +I[1, 10, 1]",
                        "ROW +I[1, 20, 1]",
                        "ROW +I[2, 5, 2]",
                        "ROW +I[2, 7, 2]",
                        "ROW +I[3, 100, 2]");
        // sale_day 2 recomputed and replaced but its first run kept, sale_day 1 untouched, sale_day 3 added whole
        assertThat(query(
                        home,
                        "SELECT sale_day, total, sales, first_run FROM flink_dbt.days.day_firsts ORDER BY sale_day"))
                .containsExactly("ROW +I[1, 30, 2, 1]", "ROW +I[2, 12, 2, 1]", "ROW +I[3, 100, 1, 2]");
        // only total updated: sale_day 2 keeps its count of sales and its first run
        assertThat(
                        query(
                                home,
                                "SELECT sale_day, total, sales, first_run FROM flink_dbt.days.day_totals_only ORDER BY sale_day"))
                .containsExactly("ROW +I[1, 30, 2, 1]", "ROW +I[2, 12, 1, 1]", "ROW +I[3, 100, 1, 2]");
    }

    @Test
    void anIncrementalModelWhoseColumnsChangeKeepsItsRowsAsItsOnSchemaChangeSays() throws Exception {
        Path project = dir.resolve("evolving");
        Path input = Files.createDirectories(dir.resolve("input"));
        csvSource(project, input, "events", "id INT", "amount INT");
        // the second run's query adds a column, drops one and widens one
        String model = """
                {{ config(materialized='incremental', on_schema_change='%s') }}
                select id,
                  {%% if var('v2', false) %%} cast(amount as bigint) as amount, amount * 2 as doubled
                  {%% else %%} amount, amount * 10 as tenfold {%% endif %%}
                from {{ source('raw', 'events') }}
                {%% if is_incremental() %%} where id > (select max(id) from {{ this }}) {%% endif %%}
                """;
        for (String policy : List.of("ignore", "fail", "append_new_columns", "sync_all_columns")) {
            TestProjects.write(project, "src/main/sql/" + policy + ".sql", model.formatted(policy));
        }
        Path home = dir.resolve("home");
        Files.writeString(input.resolve("1.csv"), "1,10\n2,20\n");
        run(settings(project, home));

        Files.writeString(input.resolve("2.csv"), "3,30\n");
        assertThatThrownBy(() -> run(settings(project, home).vars(Map.of("v2", true))))
                .hasMessageContaining("3 OK, 1 failed")
                .hasMessageContaining("The columns of incremental model 'fail' changed since its table"
                        + " flink_dbt.evolving.fail was built: added doubled INT, removed tenfold, amount now BIGINT."
                        + " Its on_schema_change is 'fail': nothing was written.")
                .hasMessageContaining("-Dflink-dbt.fullRefresh");
        String select = "SELECT * FROM flink_dbt.evolving.%s ORDER BY id";
        // the table keeps its columns; the new row fills those it has
        assertThat(query(home, select.formatted("`ignore`")))
                .containsExactly("ROW +I[1, 10, 100]", "ROW +I[2, 20, 200]", "ROW +I[3, 30, null]");
        assertThat(query(home, select.formatted("fail"))).containsExactly("ROW +I[1, 10, 100]", "ROW +I[2, 20, 200]");
        // a new column at the end, NULL in the rows before it
        assertThat(query(home, select.formatted("append_new_columns")))
                .containsExactly("ROW +I[1, 10, 100, null]", "ROW +I[2, 20, 200, null]", "ROW +I[3, 30, null, 60]");
        // the table's columns are the query's: amount widened to BIGINT, tenfold gone, doubled added
        assertThat(query(home, select.formatted("sync_all_columns")))
                .containsExactly("ROW +I[1, 10, null]", "ROW +I[2, 20, null]", "ROW +I[3, 30, 60]");
        assertThat(query(home, "DESCRIBE flink_dbt.evolving.sync_all_columns").toString())
                .contains("amount, BIGINT")
                .doesNotContain("tenfold");
    }

    @Test
    void sourcesWithoutConnectorReadTheSeedsModelsAndTablesOfTheCatalog() throws Exception {
        Path home = dir.resolve("home");
        // another project writes a table into the same catalog
        Path warehouse = dir.resolve("warehouse");
        TestProjects.write(warehouse, "src/main/sql/customers.sql", """
                {{ config(materialized='table') }}
                select * from (values (1, 'Ann'), (2, 'Bo')) as t(customer_id, name)
                """);
        assertThat(rows(run(settings(warehouse, home)))).isEqualTo(Map.of("customers", 2L));

        Path shop = dir.resolve("shop");
        TestProjects.write(
                shop, "src/main/seeds/raw_orders.csv", "order_id,customer_id,amount\n1,1,10\n2,1,5\n3,2,7\n");
        TestProjects.write(shop, "src/main/sql/sources.yml", """
                version: 2
                sources:
                  - name: landing
                    schema: "{{ target.schema }}"
                    tables:
                      - name: orders
                        identifier: raw_orders
                        columns:
                          - name: order_id
                            data_tests: [unique, not_null]
                  - name: crm
                    schema: warehouse
                    tables:
                      - name: customers
                """);
        TestProjects.write(shop, "src/main/sql/customer_totals.sql", """
                {{ config(materialized='table') }}
                select c.name, sum(o.amount) as total
                from {{ source('landing', 'orders') }} o
                join {{ source('crm', 'customers') }} c on o.customer_id = c.customer_id
                group by c.name
                """);
        List<String> log = new ArrayList<>();
        // the seed is written before the model that reads it as a source, in one run
        assertThat(rows(run(settings(shop, home), log))).isEqualTo(Map.of("customer_totals", 2L, "raw_orders", 3L));
        assertThat(query(home, "SELECT name, total FROM flink_dbt.shop.customer_totals ORDER BY name"))
                .containsExactly("ROW +I[Ann, 15]", "ROW +I[Bo, 7]");

        // a source naming a table that is nowhere: its YAML line, before anything runs
        TestProjects.write(shop, "src/main/sql/sources.yml", """
                version: 2
                sources:
                  - name: landing
                    schema: "{{ target.schema }}"
                    tables:
                      - name: orders
                        identifier: raw_orders
                  - name: crm
                    schema: warehouse
                    tables:
                      - name: customers
                        identifier: custmers
                """);
        assertThatThrownBy(() -> run(settings(shop, home)))
                .hasMessageContaining("src/main/sql/sources.yml:11")
                .hasMessageContaining(
                        "Source 'crm.customers' reads flink_dbt.warehouse.custmers, which is neither a seed or "
                                + "model of this project nor a table in the hadoop catalog")
                .hasMessageContaining("Did you mean 'customers'?");
    }

    @Test
    void snapshotsKeepEveryVersionOfTheirRowsAsDbtDoes() throws Exception {
        Path project = dir.resolve("crm");
        Path input = Files.createDirectories(dir.resolve("input"));
        csvSource(project, input, "customers", "id INT", "name STRING", "updated_at TIMESTAMP(3)");
        TestProjects.write(project, "src/main/snapshots/customers_history.sql", """
                {% snapshot customers_history %}
                {{ config(unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='new_record') }}
                select * from {{ source('raw', 'customers') }}
                {% endsnapshot %}
                """);
        TestProjects.write(project, "src/main/snapshots/names.sql", """
                {% snapshot name_changes %}
                {{ config(unique_key=['id'], strategy='check', check_cols=['name'], hard_deletes='invalidate',
                          target_schema='history') }}
                select id, name from {{ source('raw', 'customers') }}
                {% endsnapshot %}
                """);
        TestProjects.write(project, "src/main/sql/current_customers.sql", """
                {{ config(materialized='table') }}
                select id, name from {{ ref('customers_history') }}
                where dbt_valid_to is null and dbt_is_deleted = 'False'
                """);
        Path home = dir.resolve("home");
        Path file = input.resolve("customers.csv");
        Files.writeString(file, "1,Ann,2026-01-01 10:00:00\n2,Bo,2026-01-01 10:00:00\n");
        assertThat(rows(run(settings(project, home))))
                .isEqualTo(Map.of("customers_history", 2L, "name_changes", 2L, "current_customers", 2L));

        // Ann renamed, Bo deleted, Cy new
        Files.writeString(file, "1,Anna,2026-01-02 09:00:00\n3,Cy,2026-01-02 09:00:00\n");
        // history: Ann closed + Anna, Bo closed + deleted record, Cy; names: Ann closed + Anna, Bo closed, Cy
        assertThat(rows(run(settings(project, home))))
                .isEqualTo(Map.of("customers_history", 5L, "name_changes", 4L, "current_customers", 2L));
        String history = "SELECT id, name, CAST(dbt_valid_from AS STRING), CAST(dbt_valid_to AS STRING), dbt_is_deleted"
                + " FROM flink_dbt.crm.customers_history ORDER BY id, dbt_valid_from";
        List<String> expected = List.of(
                "ROW +I[1, Ann, 2026-01-01 10:00:00.000000, 2026-01-02 09:00:00.000000, False]",
                "ROW +I[1, Anna, 2026-01-02 09:00:00.000000, null, False]",
                "ROW +I[2, Bo, 2026-01-01 10:00:00.000000, " + "%s, False]",
                "ROW +I[2, Bo, %s, null, True]",
                "ROW +I[3, Cy, 2026-01-02 09:00:00.000000, null, False]");
        List<String> rows = query(home, history);
        assertThat(rows).hasSize(5);
        String deletedAt = rows.get(2).replaceAll(".*2026-01-01 10:00:00.000000, (.*), False]", "$1");
        assertThat(rows)
                .containsExactly(expected.stream()
                        .map(row -> row.replace("%s", deletedAt))
                        .toArray(String[]::new));
        assertThat(query(
                        home,
                        "SELECT id, name, dbt_valid_to IS NULL FROM flink_dbt.history.name_changes ORDER BY id, dbt_valid_from",
                        "SELECT COUNT(*), COUNT(DISTINCT dbt_scd_id) FROM flink_dbt.history.name_changes"))
                .containsExactly(
                        "ROW +I[1, Ann, false]",
                        "ROW +I[1, Anna, true]",
                        "ROW +I[2, Bo, false]",
                        "ROW +I[3, Cy, true]",
                        "ROW +I[4, 4]");

        // nothing changed: nothing written
        assertThat(rows(run(settings(project, home))))
                .isEqualTo(Map.of("customers_history", 0L, "name_changes", 0L, "current_customers", 2L));

        // Bo comes back (updated after it was deleted): its deleted record closes and a new version starts
        Files.writeString(file, "1,Anna,2026-01-02 09:00:00\n2,Bo,2099-01-03 08:00:00\n3,Cy,2026-01-02 09:00:00\n");
        run(settings(project, home));
        assertThat(query(
                        home,
                        "SELECT id, name, dbt_valid_to IS NULL, dbt_is_deleted FROM flink_dbt.crm.customers_history"
                                + " WHERE id = 2 ORDER BY dbt_valid_from"))
                .containsExactly(
                        "ROW +I[2, Bo, false, False]", "ROW +I[2, Bo, false, True]", "ROW +I[2, Bo, true, False]");
        assertThat(query(home, "SELECT id, name FROM flink_dbt.crm.current_customers ORDER BY id"))
                .containsExactly("ROW +I[1, Anna]", "ROW +I[2, Bo]", "ROW +I[3, Cy]");
    }

    @Test
    void hooksRunAroundTheModelsAndTheRun() throws Exception {
        Path project = dir.resolve("audited");
        TestProjects.write(project, "dbt_project.yml", """
                name: audited
                on-run-start:
                  - "CREATE DATABASE IF NOT EXISTS flink_dbt.audit"
                  - "CREATE TABLE IF NOT EXISTS flink_dbt.audit.events (event STRING, relation STRING)"
                on-run-end: "INSERT INTO flink_dbt.audit.events VALUES ('run ended', '{{ project_name }}')"
                """);
        TestProjects.write(project, "models/totals.sql", """
                {{ config(materialized='table',
                          pre_hook="INSERT INTO flink_dbt.audit.events VALUES ('before', '{{ this }}')",
                          post_hook=["INSERT INTO flink_dbt.audit.events VALUES ('after', '{{ this }}')"]) }}
                select 1 as n
                """);
        TestProjects.write(project, "models/broken_hook.sql", """
                {{ config(materialized='view', pre_hook="INSERT INTO flink_dbt.audit.nowhere VALUES (1)") }}
                select 2 as n
                """);
        Path home = dir.resolve("home");
        assertThatThrownBy(() -> run(settings(project, home)))
                .hasMessageContaining("1 OK, 1 failed")
                .hasMessageContaining("pre_hook of model 'broken_hook' failed")
                .hasMessageContaining("INSERT INTO flink_dbt.audit.nowhere VALUES (1)");
        assertThat(query(home, "SELECT event, relation FROM flink_dbt.audit.events"))
                .containsExactlyInAnyOrder(
                        "ROW +I[before, `flink_dbt`.`audited`.`totals`]",
                        "ROW +I[after, `flink_dbt`.`audited`.`totals`]",
                        "ROW +I[run ended, audited]");
    }

    @Test
    void keepRunningStopsWithASavepointAndTheNextRunContinuesFromIt() throws Exception {
        Path project = dir.resolve("counts");
        TestProjects.counter(project, 200, 100_000);
        Path home = dir.resolve("home");

        Path table = home.resolve("warehouse/counts/tick_count");
        RunOutcome first = runUntilCommitted(settings(project, home), table);
        assertThat(first.models().get(0).message()).startsWith("stopped with savepoint");
        String afterFirst = query(home, "SELECT cnt, max_id FROM flink_dbt.counts.tick_count")
                .get(0);
        long firstCount = Long.parseLong(afterFirst.replaceAll("ROW \\+I\\[(\\d+), (\\d+)\\]", "$1"));
        assertThat(afterFirst).isEqualTo("ROW +I[" + firstCount + ", " + firstCount + "]");
        assertThat(firstCount).isPositive();

        List<String> secondLog = Collections.synchronizedList(new ArrayList<>());
        TestProjects.runUntilStopped(
                settings(project, home).build(), invocation(secondLog), secondLog, 120, TestProjects.newCommit(table));
        assertThat(String.join("\n", secondLog)).contains("restored from savepoint-");
        String afterSecond = query(home, "SELECT cnt, max_id FROM flink_dbt.counts.tick_count")
                .get(0);
        long secondCount = Long.parseLong(afterSecond.replaceAll("ROW \\+I\\[(\\d+), (\\d+)\\]", "$1"));
        // the count went on from the first run's state, and the source from its position: nothing lost, nothing twice
        assertThat(secondCount).isGreaterThan(firstCount);
        assertThat(afterSecond).isEqualTo("ROW +I[" + secondCount + ", " + secondCount + "]");
    }

    /** Runs with keepRunning until this run committed to {@code table}, then stops as Ctrl-C would. */
    private static RunOutcome runUntilCommitted(Settings.Builder settings, Path table) throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        return TestProjects.runUntilStopped(settings.build(), invocation(log), log, 120, TestProjects.newCommit(table));
    }

    /** Source {@code raw.<table>}: the CSV files in {@code input}, with columns given as "name TYPE". */
    private static void csvSource(Path project, Path input, String table, String... columns) {
        StringBuilder yaml = new StringBuilder("""
                version: 2
                sources:
                  - name: raw
                    tables:
                      - name: %s
                        config:
                          connector_properties: {connector: filesystem, path: '%s', format: csv}
                        columns:
                """.formatted(table, input.toUri()));
        for (String column : columns) {
            String[] nameAndType = column.split(" ", 2);
            yaml.append("          - {name: %s, data_type: %s}\n".formatted(nameAndType[0], nameAndType[1]));
        }
        TestProjects.write(project, "src/main/sql/sources.yml", yaml.toString());
    }

    private static Map<String, Long> rows(RunOutcome outcome) {
        Map<String, Long> rows = new TreeMap<>();
        outcome.models().forEach(m -> rows.put(m.name(), m.rows()));
        return rows;
    }

    private static Settings.Builder settings(Path project, Path home) {
        return TestProjects.settings(project)
                .defaultName(project.getFileName().toString())
                .home(home)
                .cluster(cluster.restAddress());
    }

    private static Invocation invocation(List<String> lines) {
        return TestProjects.invocation(TestProjects.capturing(lines)).build();
    }

    private static RunOutcome run(Settings.Builder settings) {
        return run(settings, new ArrayList<>());
    }

    private static RunOutcome run(Settings.Builder settings, List<String> lines) {
        return FlinkDbt.run(settings.build(), invocation(lines));
    }

    static List<String> query(Path home, String... sql) throws IOException, InterruptedException {
        return TestProjects.query(home, sql);
    }
}

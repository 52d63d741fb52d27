package io.github.flinkdbt.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.cluster.EmbeddedCluster;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.ProblemsException;
import io.github.flinkdbt.mojo.MavenHints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code snapshot-test} on one shared embedded cluster: unit tests, data tests, reports, bad fixtures. */
class SnapshotTestTest {

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

    static final String UNIT_TESTS = """
            version: 2
            unit_tests:
              - name: stg_page_views_drops_rows_without_url
                model: stg_page_views
                given:
                  - input: source('shop', 'page_views')
                    rows:
                      - {user_id: 1, url: /a, viewed_at: '2026-01-01 10:00:00'}
                      - {user_id: 2, viewed_at: '2026-01-01 10:00:01'}
                expect:
                  rows:
                    - {user_id: 1, url: /a}
              - name: clicks_per_user_counts_updates
                model: clicks_per_user
                given:
                  - input: ref('stg_page_views')
                    format: csv
                    rows: |
                      user_id,url,viewed_at
                      1,/a,2026-01-01 10:00:00
                      1,/b,2026-01-01 10:00:05
                      2,/a,2026-01-01 10:00:07
                expect:
                  rows:
                    - {user_id: 1, clicks: 2, last_view: '2026-01-01T10:00:05'}
                    - {user_id: 2, clicks: 1, last_view: '2026-01-01 10:00:07.000'}
              - name: views_per_minute_fires_windows_at_end_of_input
                model: views_per_minute
                given:
                  - input: ref('stg_page_views')
                    rows:
                      - {user_id: 1, url: /a, viewed_at: '2026-01-01 10:00:30'}
                      - {user_id: 1, url: /a, viewed_at: '2026-01-01 10:01:10'}
                      - {user_id: 2, url: /b, viewed_at: '2026-01-01 10:00:10'}
                expect:
                  rows:
                    - {window_start: '2026-01-01 10:00:00', view_count: 2}
                    - {window_start: '2026-01-01 10:01:00', view_count: 1}
              - name: new_orders_appends_what_its_current_table_lacks
                model: new_orders
                overrides:
                  macros:
                    is_incremental: true
                given:
                  - input: source('shop', 'orders')
                    rows:
                      - {ORDER_ID: 1, amount: 5}
                      - {order_id: 2, Amount: 6}
                      - {order_id: 3, amount: 7}
                  - input: this
                    rows:
                      - {order_id: 1, amount: 5}
                expect:
                  rows:
                    - {Order_Id: 2, AMOUNT: 6}
                    - {order_id: 3, amount: 7}
              - name: revenue_per_user_reads_through_the_ephemeral_model
                model: revenue_per_user
                given:
                  - input: source('shop', 'orders')
                    fixture: orders
                expect:
                  rows:
                    - {user_id: 7, revenue: 20.50}
            """;

    @Test
    void unitTestsRunTheModelAloneOnGivenRowsAndReportInSurefireFormat() throws Exception {
        Path project = TestProjects.shop(dir.resolve("shop"));
        TestProjects.write(project, "src/main/sql/unit_tests.yml", UNIT_TESTS);
        // an incremental model: its unit test gives its current table (input: this); columns in any case, as in dbt
        TestProjects.write(project, "src/main/sql/new_orders.sql", """
                {{ config(materialized='incremental', incremental_strategy='append') }}
                select order_id, amount from {{ source('shop', 'orders') }}
                {% if is_incremental() %}
                where order_id > (select coalesce(max(order_id), 0) from {{ this }})
                {% endif %}
                """);
        TestProjects.write(project, "src/test/fixtures/orders.csv", """
                order_id,user_id,amount,ordered_at
                1,7,20.50,2026-01-01 10:00:00
                2,7,10,2026-01-01 10:00:00
                3,7,5,2026-01-01 10:00:00
                """);
        TestOutcome outcome = test(project, false);

        Map<String, String> status = statuses(outcome);
        assertThat(status)
                .containsEntry("stg_page_views_drops_rows_without_url", "pass")
                .containsEntry("clicks_per_user_counts_updates", "pass")
                .containsEntry("views_per_minute_fires_windows_at_end_of_input", "pass")
                .containsEntry("new_orders_appends_what_its_current_table_lacks", "pass")
                .containsEntry("revenue_per_user_reads_through_the_ephemeral_model", "pass");
        Path report = project.resolve("target/flink-dbt-reports/TEST-flink-dbt.shop.unit.xml");
        assertThat(Files.readString(report))
                .contains(
                        "<testsuite",
                        "tests=\"5\"",
                        "failures=\"0\"",
                        "<testcase name=\"clicks_per_user_counts_updates\" classname=\"flink-dbt.shop.unit.clicks_per_user\"");
    }

    @Test
    void dataTestsRunAgainstModelsComputedFromSourceFixtures() throws Exception {
        Path project = TestProjects.shop(dir.resolve("shop"));
        TestProjects.write(project, "src/main/sql/macros/tests.sql", """
                {% test is_positive(model, column_name) %}
                select * from {{ model }} where {{ column_name }} <= 0
                {% endtest %}
                """);
        TestProjects.write(project, "src/main/sql/data_tests.yml", """
                version: 2
                models:
                  - name: stg_page_views
                    columns:
                      - name: url
                        data_tests:
                          - accepted_values:
                              values: ['/a', '/b']
                              config:
                                severity: warn
                  - name: revenue_per_user
                    columns:
                      - name: user_id
                        data_tests:
                          - relationships:
                              to: ref('clicks_per_user')
                              field: user_id
                          - not_null:
                              where: "revenue > 1000"
                      - name: revenue
                        data_tests: [is_positive]
                """);
        TestProjects.write(
                project,
                "src/test/sql/no_huge_revenue.sql",
                "select * from {{ ref('revenue_per_user') }} where revenue > 1000\n");
        TestProjects.write(project, "src/test/fixtures/sources/shop/page_views.csv", """
                user_id,url,viewed_at
                1,/a,2026-01-01 10:00:00
                1,/b,2026-01-01 10:00:01
                2,/c,2026-01-01 10:00:02
                """);
        TestProjects.write(project, "src/test/fixtures/sources/shop/orders.csv", """
                order_id,user_id,amount,ordered_at
                1,1,20,2026-01-01 10:00:00
                2,7,30,2026-01-01 10:00:00
                """);

        assertThatThrownBy(() -> test(project, false))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("1 failed")
                .hasMessageContaining("data test relationships_revenue_per_user_user_id__user_id__ref_clicks_per_user "
                        + "(src/main/sql/data_tests.yml:15:13): 1 failing row");
        assertThat(String.join("\n", lines))
                .contains("WARN     data  accepted_values_stg_page_views_url___a___b")
                .contains("1 failing row\n    value_field | n_records\n    /c | 1")
                .contains("FAIL     data  relationships_revenue_per_user_user_id__user_id__ref_clicks_per_user")
                .contains("1 failing row\n    from_field\n    7")
                .contains("PASS     data  unique_clicks_per_user_user_id")
                .contains("PASS     data  is_positive_revenue_per_user_revenue")
                .contains("PASS     data  not_null_revenue_per_user_user_id")
                .contains("PASS     data  no_huge_revenue");
        String report = Files.readString(project.resolve("target/flink-dbt-reports/TEST-flink-dbt.shop.data.xml"));
        assertThat(report)
                .contains(
                        "tests=\"7\"",
                        "failures=\"1\"",
                        "errors=\"0\"",
                        "<failure message=\"1 failing row\" type=\"flink-dbt.data\">",
                        "WARN (severity: warn)");
        assertThat(project.resolve("target/flink-dbt/compiled/tests/unique_clicks_per_user_user_id.sql"))
                .content()
                .contains("GROUP BY `user_id`", "HAVING COUNT(*) > 1");
    }

    @Test
    void badFixturesAreReportedWithTheirFileAndLineBeforeAnyTestRuns() {
        Path project = TestProjects.shop(dir.resolve("shop"));
        TestProjects.write(project, "src/main/sql/unit_tests.yml", """
                version: 2
                unit_tests:
                  - name: wrong_source_column
                    model: stg_page_views
                    given:
                      - input: source('shop', 'page_views')
                        rows:
                          - {user_id: 1, uurl: /a}
                    expect:
                      rows: []
                  - name: expect_names_a_missing_column
                    model: clicks_per_user
                    given:
                      - input: ref('stg_page_views')
                        rows: []
                    expect:
                      rows:
                        - {user_id: 1, klicks: 2}
                  - name: malformed_csv
                    model: clicks_per_user
                    given:
                      - input: ref('stg_page_views')
                        format: csv
                        rows: |
                          user_id,url
                          1,"/a
                    expect:
                      rows: []
                  - name: missing_input
                    model: clicks_per_user
                    given: []
                    expect:
                      rows: []
                """);
        assertThatThrownBy(() -> test(project, false))
                .isInstanceOf(ProblemsException.class)
                .hasMessageContaining("src/main/sql/unit_tests.yml:6:")
                .hasMessageContaining(
                        "names column 'uurl', which source shop.page_views does not have. " + "Did you mean 'url'?")
                .hasMessageContaining("src/main/sql/unit_tests.yml:11:")
                .hasMessageContaining("expect names column 'klicks', which model 'clicks_per_user' does not have")
                .hasMessageContaining("src/main/sql/unit_tests.yml:2")
                .hasMessageContaining("This quoted value is never closed.")
                .hasMessageContaining("Unit test 'missing_input' gives no rows for ref('stg_page_views')");
        assertThat(project.resolve("target/flink-dbt-reports")).doesNotExist();
    }

    @Test
    void dataTestsReadDeployedTablesNowOrAsOfAnEarlierMoment() throws Exception {
        Path project = dir.resolve("crm");
        TestProjects.write(project, "src/main/seeds/customers.csv", "id,name\n1,ann\n2,bob\n");
        TestProjects.write(project, "src/main/sql/customer_names.sql", """
                {{ config(materialized='table') }}
                select id, name from {{ ref('customers') }}
                """);
        TestProjects.write(project, "src/main/sql/schema.yml", """
                version: 2
                models:
                  - name: customer_names
                    columns:
                      - name: id
                        data_tests: [unique]
                """);
        Path home = project.resolve(".flink-dbt");
        FlinkDbt.run(
                TestProjects.settings(project)
                        .defaultName("crm")
                        .home(home)
                        .cluster(cluster.restAddress())
                        .build(),
                TestProjects.invocation().build());
        Thread.sleep(50);
        String beforeNull = Instant.now().toString();
        Thread.sleep(50);
        TestProjects.write(project, "src/main/seeds/customers.csv", "id,name\n1,ann\n2,bob\n2,bo\n");
        FlinkDbt.run(
                TestProjects.settings(project)
                        .defaultName("crm")
                        .home(home)
                        .cluster(cluster.restAddress())
                        .build(),
                TestProjects.invocation().build());

        assertThatThrownBy(() -> test(project, true, null))
                .hasMessageContaining("tests against deployed tables: 1 run, 0 passed, 1 failed");
        TestOutcome then = test(project, true, beforeNull);
        assertThat(statuses(then)).containsEntry("unique_customer_names_id", "pass");
        assertThat(then.against()).isEqualTo("deployed tables as of " + beforeNull);
        assertThatThrownBy(() -> test(project, true, "yesterday"))
                .hasMessageContaining("-Dflink-dbt.asOf=yesterday is neither an Iceberg snapshot id nor a time");
    }

    @Test
    void runBuildsInDbtOrderAndAFailingTestHoldsBackWhatDependsOnIt() {
        Path project = TestProjects.shop(dir.resolve("shop"));
        TestProjects.write(project, "src/main/sql/marts/top_revenue.sql", """
                {{ config(materialized='table') }}
                select user_id, revenue from {{ ref('revenue_per_user') }} where revenue > 100
                """);
        TestProjects.write(project, "src/main/sql/build_tests.yml", """
                version: 2
                models:
                  - name: revenue_per_user
                    columns:
                      - name: user_id
                        data_tests:
                          - accepted_values:
                              values: [-1]
                              quote: false
                unit_tests:
                  - name: views_per_minute_wrong_expectation
                    model: views_per_minute
                    given:
                      - input: ref('stg_page_views')
                        rows:
                          - {user_id: 1, url: /a, viewed_at: '2026-01-01 10:00:30'}
                    expect:
                      rows:
                        - {view_count: 2}
                """);
        Settings run = TestProjects.settings(project)
                .tests(true)
                .cluster(cluster.restAddress())
                .build();

        assertThatThrownBy(
                        () -> FlinkDbt.run(run, TestProjects.invocation(log()).build()))
                .hasMessageContaining("2 tests failed")
                .hasMessageContaining("unit test views_per_minute_wrong_expectation")
                .hasMessageContaining("data test accepted_values_revenue_per_user_user_id")
                .hasMessageContaining("-Dflink-dbt.skipTests");
        String log = String.join("\n", lines);
        assertThat(log)
                .contains("PASS     data  not_null_clicks_per_user_user_id")
                .contains("PASS     data  unique_clicks_per_user_user_id")
                .containsPattern("views_per_minute +streaming_table +SKIP .*its unit tests failed")
                .containsPattern("top_revenue +table +SKIP .*tests of upstream model 'revenue_per_user' failed")
                .containsPattern("clicks_per_user +streaming_table +OK");
        // a model's data tests run once its table is complete: after its own line, never before
        Matcher built = Pattern.compile("clicks_per_user +streaming_table +OK").matcher(log);
        assertThat(built.find()).isTrue();
        assertThat(log.indexOf("PASS     data  not_null_clicks_per_user_user_id"))
                .isGreaterThan(built.start());
    }

    @Test
    void aSourceOverASeedIsGivenAsTheSourceAndItsDataTestsReadTheSeed() {
        Path project = dir.resolve("over");
        TestProjects.write(project, "src/main/seeds/raw_orders.csv", "order_id,amount\n1,10\n2,5\n2,7\n");
        TestProjects.write(project, "src/main/sql/schema.yml", """
                version: 2
                sources:
                  - name: landing
                    schema: over
                    tables:
                      - name: orders
                        identifier: raw_orders
                        columns:
                          - name: order_id
                            data_tests: [not_null, unique]
                unit_tests:
                  - name: big_orders_keeps_amounts_over_six
                    model: big_orders
                    given:
                      - input: source('landing', 'orders')
                        rows:
                          - {order_id: 1, amount: 10}
                          - {order_id: 2, amount: 3}
                    expect:
                      rows:
                        - {order_id: 1}
                """);
        TestProjects.write(project, "src/main/sql/big_orders.sql", """
                select order_id from {{ source('landing', 'orders') }} where amount > 6
                """);
        // the seed's duplicate order 2 fails unique; the unit test's rows stand in for the seed
        assertThatThrownBy(() -> test(project, false))
                .hasMessageContaining("3 run, 2 passed, 1 failed")
                .hasMessageContaining(
                        "data test source_unique_landing_orders_order_id (src/main/sql/schema.yml:10:36)");
        assertThat(String.join("\n", lines))
                .containsPattern("PASS +unit +big_orders_keeps_amounts_over_six")
                .containsPattern("PASS +data +source_not_null_landing_orders_order_id");
    }

    @Test
    void aSnapshotDefinedInYamlIsTestedAsItsFirstRunWouldWriteIt() {
        Path project = dir.resolve("history");
        TestProjects.write(project, "src/main/seeds/plans.csv", "customer_id,plan\n1,free\n2,pro\n");
        TestProjects.write(project, "src/main/snapshots/snapshots.yml", """
                snapshots:
                  - name: plan_history
                    relation: ref('plans')
                    config:
                      unique_key: customer_id
                      strategy: check
                      check_cols: all
                    columns:
                      - name: dbt_scd_id
                        data_tests: [unique, not_null]
                      - name: dbt_valid_to
                        data_tests: [not_null]
                """);
        assertThatThrownBy(() -> test(project, false))
                .hasMessageContaining("3 run, 2 passed, 1 failed")
                // every row is a current version: no end of validity
                .hasMessageContaining("data test not_null_plan_history_dbt_valid_to");
        assertThat(String.join("\n", lines))
                .containsPattern("PASS +data +unique_plan_history_dbt_scd_id")
                .containsPattern("PASS +data +not_null_plan_history_dbt_scd_id");
    }

    /** dbt's unit_testing suite: case insensitivity, invalid input and expect columns, types, no truncation. */
    @Test
    void dbtUnitTestingSuite() {
        Path project = dir.resolve("units");
        TestProjects.write(project, "src/main/sql/my_upstream_model.sql", """
                select 1 as tested_column, '1' as text_column, true as flag, DATE '2020-01-02' as a_day,
                  TIMESTAMP '2013-11-03 00:00:00' as changed_at, CAST(1 AS DECIMAL(10, 2)) as amount,
                  CAST('short' AS VARCHAR(5)) as short_text
                """);
        TestProjects.write(project, "src/main/sql/my_model.sql", """
                select tested_column, text_column, flag, a_day, changed_at, amount, short_text,
                  CHAR_LENGTH(short_text) as col_len
                from {{ ref('my_upstream_model') }}
                """);
        TestProjects.write(project, "src/main/sql/unit_tests.yml", """
                unit_tests:
                  - name: test_case_insensitivity
                    model: my_model
                    given:
                      - input: ref('my_upstream_model')
                        rows:
                          - {tested_column: 1}
                          - {TESTED_COLUMN: 2}
                          - {tested_colUmn: 3}
                    expect:
                      rows:
                        - {tested_column: 1}
                        - {TESTED_COLUMN: 2}
                        - {tested_colUmn: 3}
                  - name: test_types
                    model: my_model
                    given:
                      - input: ref('my_upstream_model')
                        rows:
                          - {tested_column: 1, text_column: 1, flag: true, a_day: 2020-01-02,
                             changed_at: '2013-11-03 00:00:00', amount: 1}
                    expect:
                      rows:
                        - {tested_column: 1, text_column: 1, flag: true, a_day: 2020-01-02,
                           changed_at: '2013-11-03 00:00:00', amount: 1}
                  - name: test_varchar_fixture_no_truncation
                    model: my_model
                    given:
                      - input: ref('my_upstream_model')
                        rows:
                          - {short_text: longer_string_value}
                    expect:
                      rows:
                        - {short_text: longer_string_value, col_len: 19}
                  - name: test_quoted_reserved_word_column_names
                    model: my_reserved_model
                    given:
                      - input: ref('my_reserved_upstream_model')
                        format: csv
                        fixture: input_fixture
                    expect:
                      format: csv
                      fixture: expect_fixture
                """);
        // BaseUnitTestQuotedReservedWordColumnNames: a column named GROUP, quoted as Flink quotes
        TestProjects.write(project, "src/main/sql/my_reserved_upstream_model.sql", "select 1 as `GROUP`\n");
        TestProjects.write(
                project,
                "src/main/sql/my_reserved_model.sql",
                "select * from {{ ref('my_reserved_upstream_model') }}\n");
        TestProjects.write(project, "src/test/fixtures/input_fixture.csv", "GROUP\n1\n2\n3\n");
        TestProjects.write(project, "src/test/fixtures/expect_fixture.csv", "GROUP\n1\n2\n3\n");
        TestOutcome passing = test(project, false);
        assertThat(statuses(passing))
                .containsEntry("test_case_insensitivity", "pass")
                .containsEntry("test_types", "pass")
                .containsEntry("test_varchar_fixture_no_truncation", "pass")
                .containsEntry("test_quoted_reserved_word_column_names", "pass");

        TestProjects.write(project, "src/main/sql/unit_tests.yml", """
                unit_tests:
                  - name: test_invalid_input_column_name
                    model: my_model
                    given:
                      - input: ref('my_upstream_model')
                        rows: [{invalid_column_name: 1}]
                    expect:
                      rows: [{tested_column: 1}]
                  - name: test_invalid_expect_column_name
                    model: my_model
                    given:
                      - input: ref('my_upstream_model')
                        rows: [{tested_column: 1}]
                    expect:
                      rows: [{invalid_column_name: 1}]
                """);
        // dbt: "Invalid column name: 'invalid_column_name' in unit test fixture for 'my_upstream_model'" (and for
        // expected output); here each at its line, with the columns there are
        assertThatThrownBy(() -> test(project, false))
                .hasMessageContaining("src/main/sql/unit_tests.yml:5:9  Unit test 'test_invalid_input_column_name':"
                        + " given ref('my_upstream_model') names column 'invalid_column_name', which model"
                        + " 'my_upstream_model' does not have.")
                .hasMessageContaining("src/main/sql/unit_tests.yml:9:5  Unit test 'test_invalid_expect_column_name':"
                        + " expect names column 'invalid_column_name', which model 'my_model' does not have.");
    }

    @Test
    void unitTestsOverrideMacrosEnvVarsAndVarsReadSqlFixturesAndAreSelectedByTag() {
        Path project = dir.resolve("overrides");
        TestProjects.write(project, "src/main/sql/macros/load_time.sql", """
                {% macro load_time() %}CURRENT_TIMESTAMP{% endmacro %}
                """);
        TestProjects.write(project, "src/main/sql/raw_events.sql", """
                select * from (values (1, 'a')) as t(id, name)
                """);
        TestProjects.write(project, "src/main/sql/events.sql", """
                select id, upper(name) as name, {{ load_time() }} as loaded_at,
                  '{{ env_var('REGION', 'eu') }}' as region,
                  {{ dbt.string_literal(var('source_system', 'crm')) }} as source_system,
                  {{ dbt.current_timestamp() }} as ts
                from {{ ref('raw_events') }}
                """);
        TestProjects.write(project, "src/main/sql/unit_tests.yml", """
                unit_tests:
                  - name: overrides_fix_the_clock_the_region_and_the_system
                    model: events
                    config:
                      tags: [fast]
                    overrides:
                      macros:
                        load_time: "TIMESTAMP '2026-01-01 10:00:00'"
                        dbt.current_timestamp: "TIMESTAMP '2026-01-02 00:00:00'"
                      env_vars: {REGION: us}
                      vars: {source_system: erp}
                    given:
                      - input: ref('raw_events')
                        rows: [{id: 1, name: a}]
                    expect:
                      rows:
                        - {id: 1, name: A, loaded_at: '2026-01-01 10:00:00', region: us, source_system: erp,
                           ts: '2026-01-02 00:00:00'}
                  - name: sql_fixtures_give_and_expect_rows
                    model: events
                    given:
                      - input: ref('raw_events')
                        format: sql
                        rows: |
                          select 1 as id, 'b' as name
                          union all select 2 as id, 'c' as name
                    expect:
                      format: sql
                      fixture: events_expected
                """);
        TestProjects.write(project, "src/test/fixtures/events_expected.sql", """
                select 1 as ID, 'B' as name, 'eu' as region, 'crm' as source_system
                union all select 2, 'C', 'eu', 'crm'
                """);
        assertThat(statuses(test(project, null, null)))
                .containsEntry("overrides_fix_the_clock_the_region_and_the_system", "pass")
                .containsEntry("sql_fixtures_give_and_expect_rows", "pass");
        // dbt's selection: a tag selects the unit tests carrying it, an excluded tag leaves them out
        assertThat(statuses(test(project, "tag:fast", null)))
                .containsOnlyKeys("overrides_fix_the_clock_the_region_and_the_system");
        assertThat(statuses(test(project, null, "tag:fast"))).containsOnlyKeys("sql_fixtures_give_and_expect_rows");
        assertThat(statuses(test(project, "sql_fixtures_give_and_expect_rows", null)))
                .containsOnlyKeys("sql_fixtures_give_and_expect_rows");

        // a SQL fixture naming a column the input lacks fails the test with the column and the place
        TestProjects.write(project, "src/test/fixtures/events_expected.sql", "select 1 as id, 'B' as nam\n");
        assertThatThrownBy(() -> test(project, "sql_fixtures_give_and_expect_rows", null))
                .hasMessageContaining("1 run, 0 passed, 0 failed, 1 errors");
        assertThat(String.join("\n", lines))
                .contains("ERROR    unit  sql_fixtures_give_and_expect_rows")
                .contains("expect names column 'nam', which model 'events' does not have. Did you mean 'name'?");

        // an override of a macro that does not exist: an error at the unit test, with the closest name
        TestProjects.write(project, "src/main/sql/unit_tests.yml", """
                unit_tests:
                  - name: a_typo
                    model: events
                    overrides:
                      macros: {load_tme: "TIMESTAMP '2026-01-01 10:00:00'"}
                    given:
                      - input: ref('raw_events')
                        rows: []
                    expect:
                      rows: []
                """);
        assertThatThrownBy(() -> test(project, null, null))
                .hasMessageContaining("src/main/sql/unit_tests.yml:2:5  overrides: macros names 'load_tme', which is"
                        + " no macro of the project or dbt's. Did you mean 'load_time'?");
    }

    private TestOutcome test(Path project, String select, String exclude) {
        return FlinkDbt.test(
                TestProjects.settings(project)
                        .defaultName(project.getFileName().toString())
                        .select(select)
                        .exclude(exclude)
                        .cluster(cluster.restAddress())
                        .build(),
                TestProjects.invocation(log()).build());
    }

    private TestOutcome test(Path project, boolean deployed) {
        return test(project, deployed, null);
    }

    private TestOutcome test(Path project, boolean deployed, String asOf) {
        return FlinkDbt.test(
                TestProjects.settings(project)
                        .defaultName(project.getFileName().toString())
                        .deployed(deployed)
                        .asOf(asOf)
                        .cluster(cluster.restAddress())
                        .build(),
                TestProjects.invocation(log()).build());
    }

    private BuildLog log() {
        return TestProjects.capturing(lines);
    }

    private static Map<String, String> statuses(TestOutcome outcome) {
        Map<String, String> status = new TreeMap<>();
        outcome.results().forEach(r -> status.put(r.name(), r.status()));
        return status;
    }
}

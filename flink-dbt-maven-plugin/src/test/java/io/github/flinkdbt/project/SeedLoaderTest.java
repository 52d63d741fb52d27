package io.github.flinkdbt.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.common.Problem;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedLoaderTest {

    @Test
    void valuesBecomeATypedQuery() {
        Problems problems = new Problems();
        SqlText sql = SeedLoader.query(SourceText.of("src/main/seeds/products.csv", """
                id,name,price,active,launched,updated_at,note
                1,"Shoe, red",12.5,true,2026-01-02,2026-01-02 10:00:00,
                2,"Say ""hi""\",3,false,2026-02-03,2026-02-03 11:30:00.250,x
                """), Map.of(), problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(sql.text())
                .contains(
                        "CAST(c0 AS BIGINT) AS `id`",
                        "CAST(c1 AS STRING) AS `name`",
                        "CAST(c2 AS DECIMAL(3, 1)) AS `price`",
                        "CAST(c3 AS BOOLEAN) AS `active`",
                        "CAST(c4 AS DATE) AS `launched`",
                        "CAST(c5 AS TIMESTAMP(3)) AS `updated_at`",
                        "CAST(c6 AS STRING) AS `note`",
                        "('1', 'Shoe, red', '12.5', 'true', '2026-01-02', '2026-01-02 10:00:00', CAST(NULL AS STRING))",
                        "'Say \"hi\"'");
    }

    @Test
    void dateTimesAreReadAsDbtReadsThemAndRunAsTheTypeTheyWereGiven() {
        Problems problems = new Problems();
        SqlText sql = SeedLoader.query(
                SourceText.of("src/main/seeds/people.csv", """
                id,born,seen,at,declared
                1,1981-05-20T06:46:51,2026-01-02T10:00:00.123456,2026-01-02T10:00:00Z,2026-01-02
                2,1978-09-03 18:10:33,2026-01-02 10:00,2026-01-02T12:00:00+02:00,2026-01-02t10:30
                3,1982-03-11T03:59,,2026-01-02 10:00:00,
                """),
                Map.of("column_types", new ConfigValue(Map.of("declared", "TIMESTAMP(3)"), SourcePosition.of("s.yml"))),
                problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(sql.text())
                .contains(
                        "CAST(c1 AS TIMESTAMP(3)) AS `born`",
                        "CAST(c2 AS TIMESTAMP(6)) AS `seen`",
                        "CAST(TO_TIMESTAMP_LTZ(CAST(c3 AS BIGINT), 3) AS TIMESTAMP_LTZ(3)) AS `at`",
                        "CAST(c4 AS TIMESTAMP(3)) AS `declared`");
        // run by Flink as the run runs it: every value that led to a type casts to it
        TableEnvironment flink = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        flink.getConfig().set("table.local-time-zone", "UTC");
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<org.apache.flink.types.Row> result =
                flink.executeSql(sql.text()).collect()) {
            result.forEachRemaining(row -> rows.add(row.toString()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(rows)
                .containsExactlyInAnyOrder(
                        "+I[1, 1981-05-20T06:46:51, 2026-01-02T10:00:00.123456, 2026-01-02T10:00:00Z, 2026-01-02T00:00]",
                        "+I[2, 1978-09-03T18:10:33, 2026-01-02T10:00, 2026-01-02T10:00:00Z, 2026-01-02T10:30]",
                        "+I[3, 1982-03-11T03:59, null, 2026-01-02T10:00:00Z, null]");
    }

    @Test
    void aValueThatIsNoDateTimeInATimestampColumnIsReportedAtItsLine() {
        Problems problems = new Problems();
        assertThat(SeedLoader.query(
                        SourceText.of("src/main/seeds/s.csv", "id,at\n1,2026-01-02 10:00\n2,soon\n"),
                        Map.of(
                                "column_types",
                                new ConfigValue(Map.of("at", "TIMESTAMP(3)"), SourcePosition.of("s.yml"))),
                        problems))
                .isNull();
        assertThat(problems.sorted()).singleElement().satisfies(p -> {
            assertThat(p.position().toString()).startsWith("src/main/seeds/s.csv:3");
            assertThat(p.message()).isEqualTo("'soon' in column at of src/main/seeds/s.csv is no TIMESTAMP(3) value.");
            assertThat(p.hint()).startsWith("Write it as 2026-01-02 10:00:00 or in ISO 8601");
        });
    }

    @Test
    void aSeedsBlockWithKeysWithoutValuesMeansNoConfig(@TempDir Path dir) {
        TestProjects.write(dir, "dbt_project.yml", """
                name: shop
                seed-paths: [seeds]
                model-paths: [models]
                seeds:
                  shop:
                    products:
                    tiers:
                      +column_types:
                """);
        TestProjects.write(dir, "seeds/products.csv", "id,name\n1,a\n");
        TestProjects.write(dir, "seeds/tiers.csv", "id,tier\n1,gold\n");
        TestProjects.write(dir, "models/schema.yml", """
                version: 2
                seeds:
                  - name: products
                    config:
                      column_types:
                      delimiter:
                    columns:
                      - name: id
                        data_tests:
                """);
        Loading.Result result = Loading.load(dir);
        assertThat(result.messages()).isEmpty();
        assertThat(result.model("products").sql().text()).contains("CAST(c0 AS BIGINT) AS `id`");
    }

    @Test
    void declaredColumnTypesWin() {
        Problems problems = new Problems();
        SqlText sql = SeedLoader.query(
                SourceText.of("s.csv", "id,price\n1,2\n"),
                Map.of("column_types", new ConfigValue(Map.of("price", "DECIMAL(10, 2)"), SourcePosition.of("s.yml"))),
                problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(sql.text()).contains("CAST(c1 AS DECIMAL(10, 2)) AS `price`");
    }

    @Test
    void aRowOfTheWrongWidthIsReportedAtItsLine() {
        Problems problems = new Problems();
        assertThat(SeedLoader.query(SourceText.of("src/main/seeds/p.csv", "id,name\n1,a\n2,b,c\n"), Map.of(), problems))
                .isNull();
        assertThat(problems.sorted()).singleElement().satisfies(p -> {
            assertThat(p.position().toString()).startsWith("src/main/seeds/p.csv:3");
            assertThat(p.message()).isEqualTo("This row has 3 values; the header has 2 columns (id, name).");
        });
    }

    @Test
    void anUnclosedQuoteIsReportedWhereItOpens() {
        Problems problems = new Problems();
        assertThat(SeedLoader.query(SourceText.of("p.csv", "id,name\n1,\"open\n2,b\n"), Map.of(), problems))
                .isNull();
        assertThat(problems.sorted()).singleElement().satisfies(p -> {
            assertThat(p.position().toString()).startsWith("p.csv:2:3");
            assertThat(p.message()).isEqualTo("This quoted value is never closed.");
        });
    }

    @Test
    void columnTypesForAMissingColumnAndUnknownKeysAreReported() {
        Problems problems = new Problems();
        SeedLoader.query(
                SourceText.of("p.csv", "id\n1\n"),
                Map.of(
                        "column_types", new ConfigValue(Map.of("idd", "INT"), SourcePosition.of("s.yml")),
                        "delimeter", new ConfigValue(";", SourcePosition.of("s.yml"))),
                problems);
        assertThat(problems.sorted())
                .extracting(Problem::message)
                .containsExactlyInAnyOrder(
                        "Unknown config key 'delimeter' for a seed. Did you mean 'delimiter'?",
                        "column_types names 'idd', which is not a column of the seed. Did you mean 'id'?");
    }

    @Test
    void aSeedIsANodeModelsRefAndItsNameMustBeFree(@TempDir Path dir) {
        TestProjects.write(dir, "src/main/seeds/products.csv", "id,name\n1,a\n");
        TestProjects.write(dir, "src/main/sql/named.sql", "select id from {{ ref('products') }}");
        Problems problems = new Problems();
        Project project = TestProjects.load(dir, problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(project.model("products").materialization()).isEqualTo(Materialization.SEED);
        assertThat(project.model("named").refs()).containsExactly("products");
        assertThat(project.model("named").sql().text()).contains("`flink_dbt`.`shop`.`products`");

        TestProjects.write(dir, "src/main/seeds/named.csv", "id\n1\n");
        Problems clash = new Problems();
        TestProjects.load(dir, clash);
        assertThat(clash.sorted())
                .extracting(Problem::message)
                .containsExactly("Two nodes are named 'named': src/main/sql/named.sql and src/main/seeds/named.csv.");
    }
}

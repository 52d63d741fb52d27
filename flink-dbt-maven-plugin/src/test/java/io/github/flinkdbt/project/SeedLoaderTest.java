package io.github.flinkdbt.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.common.Problem;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import java.nio.file.Path;
import java.util.Map;
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

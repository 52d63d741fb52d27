package io.github.flinkdbt.project;

import static io.github.flinkdbt.TestProjects.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaFilesTest {

    @TempDir
    Path dir;

    @Test
    void sourcesInDbtFlinkAdapterShape() {
        write(dir, "src/main/sql/sources.yml", """
                version: 2
                sources:
                  - name: kafka
                    schema: raw
                    tables:
                      - name: clicks
                        identifier: clicks_v2
                        config:
                          connector_properties:
                            connector: kafka
                            topic: clicks
                            properties.sasl.jaas.config: "{{ env_var('KAFKA_JAAS') }}"
                            password: '{{ env_var("DBT_ENV_SECRET_PW") }}'
                          watermark:
                            column: ts
                            strategy: ts - INTERVAL '5' SECOND
                          primary_key: id
                        columns:
                          - name: id
                            data_type: BIGINT
                          - name: ts
                            data_type: TIMESTAMP(3)
                          - name: offset
                            data_type: BIGINT
                            column_type: metadata
                            expression: offset
                          - name: day
                            column_type: computed
                            expression: CAST(ts AS DATE)
                """);
        write(dir, "src/main/sql/m.sql", "select * from {{ source('kafka', 'clicks') }}\n");
        Loading.Result result =
                Loading.load(dir, Map.of(), Map.of("KAFKA_JAAS", "jaas", "DBT_ENV_SECRET_PW", "s3cret"));
        assertThat(result.problems()).isEmpty();
        SourceTable source = result.project().source("kafka.clicks");
        assertThat(source.relation()).isEqualTo(new Relation("flink_dbt", "raw", "clicks_v2"));
        assertThat(source.connectorProperties())
                .containsEntry("password", "s3cret")
                .containsEntry("topic", "clicks");
        assertThat(source.secretProperties()).containsKeys("password", "properties.sasl.jaas.config");
        assertThat(source.watermark().strategy()).isEqualTo("ts - INTERVAL '5' SECOND");
        assertThat(source.primaryKey()).containsExactly("id");
        assertThat(source.columns())
                .extracting(ColumnDefinition::kind)
                .containsExactly(
                        ColumnDefinition.Kind.PHYSICAL,
                        ColumnDefinition.Kind.PHYSICAL,
                        ColumnDefinition.Kind.METADATA,
                        ColumnDefinition.Kind.COMPUTED);
    }

    @Test
    void unknownKeysAreReportedWithSuggestionsAtTheirLine() {
        write(dir, "src/main/sql/schema.yml", """
                version: 2
                models:
                  - name: m
                    descripton: typo
                    config:
                      materialised: table
                    columns:
                      - name: a
                        data_tets: [not_null]
                sources:
                  - name: s
                    tables:
                      - name: t
                        config:
                          conector_properties: {connector: datagen}
                """);
        write(dir, "src/main/sql/m.sql", "select 1 as a\n");
        Loading.Result result = Loading.load(dir);
        assertThat(result.messages())
                .contains("src/main/sql/schema.yml:4:5  Unknown key 'descripton' in model. Did you mean 'description'?")
                .contains(
                        "src/main/sql/schema.yml:6:7  Unknown config key 'materialised'. Did you mean 'materialized'?")
                .contains("src/main/sql/schema.yml:9:9  Unknown key 'data_tets' in column. Did you mean 'data_tests'?")
                .contains("src/main/sql/schema.yml:15:11  Unknown key 'conector_properties' in source config. Did you "
                        + "mean 'connector_properties'?");
    }

    @Test
    void dataTestsAndUnitTestsAreChecked() {
        write(dir, "src/main/sql/schema.yml", """
                version: 2
                models:
                  - name: m
                    columns:
                      - name: a
                        data_tests:
                          - not_null
                          - accepted_values:
                              values: [1, 2]
                              config: {severity: warn}
                          - not_nul
                  - name: gone
                unit_tests:
                  - name: t1
                    model: m
                    given:
                      - input: ref('other')
                        rows: [{a: 1}]
                    expect:
                      rows: [{a: 1}]
                """);
        write(dir, "src/main/sql/m.sql", "select 1 as a\n");
        write(dir, "src/main/sql/other.sql", "select 1 as a\n");
        Loading.Result result = Loading.load(dir);
        assertThat(result.messages())
                .contains("schema.yml:11:13  Unknown data test 'not_nul'. Did you mean 'not_null'?")
                .contains("schema.yml:12:5  Properties for model 'gone', but no model file has that name.")
                .contains("schema.yml:17:9  Unit test 't1' gives ref('other'), which model 'm' does not read.");
        assertThat(result.project().dataTests())
                .extracting(DataTest::uniqueName)
                .containsExactly("not_null_m_a", "accepted_values_m_a__1__2");
        assertThat(result.project().dataTests().get(1).severity()).isEqualTo("warn");
    }

    @Test
    void sourcesWithAConnectorNeedTypedColumnsAndSourcesWithoutOneReadTheCatalog() {
        write(dir, "src/main/sql/sources.yml", """
                version: 2
                sources:
                  - name: s
                    tables:
                      - name: t
                        config:
                          connector_properties: {connector: datagen}
                        columns:
                          - name: a
                      - name: over_a_table
                        columns:
                          - name: a
                """);
        Loading.Result result = Loading.load(dir);
        assertThat(result.messages())
                .isEqualTo("src/main/sql/sources.yml:9:13  Source column 'a' needs a data_type (a Flink SQL type).\n"
                        + "          e.g. data_type: BIGINT, STRING, TIMESTAMP(3), DECIMAL(10, 2)");
        assertThat(result.project().brokenSources()).containsExactly("s.t");
        assertThat(result.project().source("s.over_a_table").overCatalogTable()).isTrue();
    }

    @Test
    void exposuresNameTheirModelsAndSourcesAndEachMistakeIsReportedAtItsLine() {
        write(dir, "src/main/sql/schema.yml", """
                version: 2
                exposures:
                  - name: dashboard
                    type: dashboard
                    owner: {name: BI}
                    depends_on: [ref('m')]
                  - name: app
                    type: application
                    owner: {email: team@example.com}
                    depends_on:
                      - ref('mm')
                      - source('s', 't')
                      - orders
                  - name: nobody
                    type: report
                """);
        write(dir, "src/main/sql/m.sql", "select 1 as a\n");
        Loading.Result result = Loading.load(dir);
        assertThat(result.messages())
                .contains("src/main/sql/schema.yml:13:9  Exposure 'app' depends on 'orders', which is neither"
                        + " ref('model') nor source('source', 'table').")
                .contains("src/main/sql/schema.yml:15:11  Exposure 'nobody' needs a type: one of analysis,"
                        + " application, dashboard, ml, notebook, not 'report'.")
                .contains("Exposure 'app' depends on ref('mm'), which is no model. Did you mean 'm'?")
                .contains("Exposure 'app' depends on source 's.t', which is not declared.")
                .doesNotContain("Exposure 'dashboard'");
    }
}

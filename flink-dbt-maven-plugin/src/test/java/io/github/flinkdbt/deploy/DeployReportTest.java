package io.github.flinkdbt.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.project.Project;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a rollback's message says about the sink that sees the new plan's committed output again. */
class DeployReportTest {

    @TempDir
    Path dir;

    @Test
    void anUpsertSinkEndsWithTheSameRowsAnAppendSinkHoldsThemTwice() {
        TestProjects.counter(dir, 1, 10);
        TestProjects.write(dir, "src/main/sql/upserted.sql", """
                {{ config(materialized='streaming_table', unique_key='k') }}
                select 'all' as k, count(*) as cnt from {{ source('gen', 'ticks') }} group by 'all'
                """);
        TestProjects.write(dir, "src/main/sql/appended.sql", """
                {{ config(materialized='streaming_table') }}
                select id from {{ source('gen', 'ticks') }}
                """);
        TestProjects.write(dir, "src/main/sql/published.sql", """
                {{ config(materialized='streaming_table', connector_properties={
                    'connector': 'kafka', 'topic': 'ticks-out', 'properties.bootstrap.servers': 'kafka:9092',
                    'format': 'json'}) }}
                select id from {{ source('gen', 'ticks') }}
                """);
        TestProjects.write(dir, "src/main/sql/keyed.sql", """
                {{ config(materialized='streaming_table', connector_properties={
                    'connector': 'upsert-kafka', 'topic': 'ticks-keyed', 'properties.bootstrap.servers': 'kafka:9092',
                    'key.format': 'json', 'value.format': 'json'}) }}
                select id, count(*) as n from {{ source('gen', 'ticks') }} group by id
                """);
        Problems problems = new Problems();
        Project project = TestProjects.load(dir, problems);
        assertThat(problems.isEmpty()).as(problems.toString()).isTrue();

        assertThat(DeployReport.sink(project.model("upserted")))
                .isEqualTo("the Iceberg table flink_dbt.shop.upserted, an upsert on k: it ends with the same rows");
        assertThat(DeployReport.sink(project.model("appended")))
                .isEqualTo("the Iceberg table flink_dbt.shop.appended, an append: readers see those rows twice");
        assertThat(DeployReport.sink(project.model("published")))
                .isEqualTo("kafka topic ticks-out (table published), an append: readers see those rows twice");
        assertThat(DeployReport.sink(project.model("keyed")))
                .isEqualTo("upsert-kafka topic ticks-keyed (table keyed), an upsert: it ends with the same rows");
        assertThat(DeployReport.sink(null)).isEqualTo("its sink");
    }
}

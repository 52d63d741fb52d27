package io.github.flinkdbt.report;

import static io.github.flinkdbt.TestProjects.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.common.ProblemsException;
import io.github.flinkdbt.mojo.MavenHints;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.ProjectLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompileOutputTest {

    @TempDir
    Path dir;

    @Test
    void manifestDescribesEveryNode() throws IOException {
        TestProjects.shop(dir);
        TestProjects.compile(TestProjects.settings(dir));
        JsonNode manifest = Json.read(Files.readString(dir.resolve("target/flink-dbt/manifest.json")));
        JsonNode clicks = manifest.path("nodes").path("model.shop.clicks_per_user");
        assertThat(clicks.path("config").path("materialized").asText()).isEqualTo("streaming_table");
        assertThat(clicks.path("depends_on").path("nodes").get(0).asText()).isEqualTo("model.shop.stg_page_views");
        assertThat(clicks.path("columns").path("clicks").path("data_type").asText())
                .isEqualTo("BIGINT NOT NULL");
        assertThat(clicks.path("columns").path("user_id").path("index").asInt()).isEqualTo(1);
        assertThat(clicks.path("checksum").path("checksum").asText()).hasSize(64);
        JsonNode flinkDbt = clicks.path("meta").path("flink_dbt");
        assertThat(flinkDbt.path("plan_path").asText()).isEqualTo("plans/clicks_per_user.json");
        assertThat(flinkDbt.path("stateful_operators").findValuesAsText("role")).contains("group-aggregate", "sink");
        assertThat(clicks.path("alias").asText()).isEqualTo("clicks_per_user");
        assertThat(clicks.path("relation_name").asText()).isEqualTo("`flink_dbt`.`shop`.`clicks_per_user`");
        assertThat(manifest.path("nodes")
                        .path("model.shop.big_orders")
                        .path("relation_name")
                        .isMissingNode())
                .isTrue();
        assertThat(manifest.path("sources")
                        .path("source.shop.shop.page_views")
                        .path("meta")
                        .path("flink_dbt")
                        .path("watermark")
                        .path("column")
                        .asText())
                .isEqualTo("viewed_at");
        assertThat(manifest.path("nodes")
                        .path("test.shop.not_null_clicks_per_user_user_id")
                        .path("attached_node")
                        .asText())
                .isEqualTo("model.shop.clicks_per_user");
        assertThat(manifest.path("child_map").path("model.shop.stg_page_views").toString())
                .contains("model.shop.clicks_per_user", "model.shop.views_per_minute");
        assertThat(manifest.path("metadata").path("env").path("FLINK_VERSION").asText())
                .startsWith("2.1");
    }

    @Test
    void secretsNeverReachTheManifestOrMessages() throws IOException {
        write(dir, "src/main/sql/sources.yml", """
                version: 2
                sources:
                  - name: s
                    tables:
                      - name: t
                        config:
                          connector_properties:
                            connector: datagen
                            properties.sasl.jaas.config: "{{ env_var('JAAS') }}"
                            endpoint.token: '{{ env_var("FLINK_DBT_SECRET_TOKEN") }}'
                        columns: [{name: a, data_type: BIGINT}]
                """);
        write(dir, "src/main/sql/m.sql", "select a from {{ source('s', 't') }}\n");
        Map<String, String> env = Map.of(
                "JAAS", "PlainLoginModule required password=\"hunter2\";", "FLINK_DBT_SECRET_TOKEN", "tok-123456");
        Project project = ProjectLoader.load(
                TestProjects.loading(TestProjects.settings(dir).build().compile(), env));
        String manifest = Manifest.write(project, Map.of(), Set.of(), "test", "2.1.3");
        assertThat(manifest)
                .doesNotContain("hunter2")
                .doesNotContain("tok-123456")
                .contains("\"endpoint.token\": \"****\"");
        // datagen rejects the options, and Flink lists them in its message: scrubbed
        assertThatThrownBy(() -> FlinkDbt.validate(
                        TestProjects.settings(dir).build(),
                        TestProjects.invocation().environment(env).build()))
                .isInstanceOf(ProblemsException.class)
                .satisfies(e ->
                        assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("tok-123456"));
    }

    @Test
    void aFailedCompileLeavesThePreviousOutputIntact() throws IOException {
        TestProjects.shop(dir);
        Settings request = TestProjects.settings(dir).build();
        FlinkDbt.compile(request, TestProjects.invocation().build());
        Map<String, byte[]> before = OutputDirectory.read(dir.resolve("target/flink-dbt"));
        write(
                dir,
                "src/main/sql/marts/clicks_per_user.sql",
                "select no_such_column from {{ ref('stg_page_views') }}\n");
        assertThatThrownBy(() ->
                        FlinkDbt.compile(request, TestProjects.invocation().build()))
                .isInstanceOf(ProblemsException.class);
        Map<String, byte[]> after = OutputDirectory.read(dir.resolve("target/flink-dbt"));
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((path, bytes) -> assertThat(after.get(path)).as(path).isEqualTo(bytes));
    }

    @Test
    void selectingModelsKeepsTheOthersOutput() throws IOException {
        TestProjects.shop(dir);
        TestProjects.compile(TestProjects.settings(dir));
        write(
                dir,
                "src/main/sql/marts/views_per_minute.sql",
                "{{ config(materialized='streaming_table') }}\n"
                        + "select window_start, count(*) as view_count from table(tumble(table {{ ref('stg_page_views') }}, "
                        + "descriptor(viewed_at), interval '5' minute)) group by window_start, window_end\n");
        TestProjects.compile(TestProjects.settings(dir).select("views_per_minute"));
        Path output = dir.resolve("target/flink-dbt");
        assertThat(output.resolve("plans/clicks_per_user.json")).exists();
        assertThat(Files.readString(output.resolve("compiled/views_per_minute.sql")))
                .contains("interval '5' minute");
    }

    @Test
    void replaceIsAtomicAndRecoversFromAKilledBuild() throws IOException {
        Path out = dir.resolve("target/flink-dbt");
        assertThat(OutputDirectory.replace(out, Map.of("a.txt", "1".getBytes())))
                .isTrue();
        assertThat(OutputDirectory.replace(out, Map.of("a.txt", "1".getBytes())))
                .isFalse();
        // a build killed between its two renames leaves only flink-dbt.old behind
        Files.move(out, dir.resolve("target/flink-dbt.old"));
        Files.createDirectories(dir.resolve("target/flink-dbt.new"));
        OutputDirectory.recover(out);
        assertThat(Files.readString(out.resolve("a.txt"))).isEqualTo("1");
        assertThat(dir.resolve("target/flink-dbt.new")).doesNotExist();
    }

    @Test
    void bundlesAreReproducible() throws Exception {
        TestProjects.shop(dir);
        TestProjects.compile(TestProjects.settings(dir));
        Path classes = dir.resolve("target/classes");
        write(classes, "com/example/Udf.class", "not really a class");
        LocalDateTime time = LocalDateTime.of(2026, 1, 1, 0, 0);
        Bundle.write(
                dir.resolve("target/flink-dbt"),
                null,
                classes,
                dir.resolve("one.jar"),
                time,
                "2.1.3",
                MavenHints.get());
        // later than ZIP's 2-second time resolution, with the files touched: only the given time counts
        Thread.sleep(2_100);
        Files.setLastModifiedTime(classes.resolve("com/example/Udf.class"), FileTime.from(Instant.now()));
        Bundle.write(
                dir.resolve("target/flink-dbt"),
                null,
                classes,
                dir.resolve("two.jar"),
                time,
                "2.1.3",
                MavenHints.get());
        assertThat(Files.readAllBytes(dir.resolve("one.jar"))).isEqualTo(Files.readAllBytes(dir.resolve("two.jar")));
        try (JarFile jar = new JarFile(dir.resolve("one.jar").toFile())) {
            assertThat(jar.getEntry("flink-dbt/manifest.json")).isNotNull();
            assertThat(jar.getEntry("flink-dbt/plans/clicks_per_user.json")).isNotNull();
            assertThat(jar.getEntry("com/example/Udf.class")).isNotNull();
            assertThat(jar.getManifest().getMainAttributes().getValue("Flink-Version"))
                    .isEqualTo("2.1.3");
            assertThat(Collections.list(jar.entries()))
                    .isNotEmpty()
                    .allSatisfy(entry -> assertThat(entry.getTimeLocal()).isEqualTo(time));
        }
    }
}

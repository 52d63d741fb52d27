package io.github.flinkdbt.report;

import static io.github.flinkdbt.TestProjects.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.ProblemsException;
import io.github.flinkdbt.planner.CompiledProject;
import io.github.flinkdbt.planner.ProjectPlanner;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.SourceTable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bundle is published: it carries the secret options' YAML text, never their values. */
class BundleSecretsTest {

    private static final String KAFKA = """
            version: 2
            sources:
              - name: k
                tables:
                  - name: events
                    config:
                      connector_properties:
                        connector: kafka
                        topic: events
                        format: json
                        properties.bootstrap.servers: localhost:9092
                        scan.startup.mode: earliest-offset
                        properties.sasl.jaas.config: %s
                        properties.ssl.truststore.password: "{{ env_var('DBT_ENV_SECRET_TRUSTSTORE') }}"
                    columns: [{name: a, data_type: BIGINT}]
            models:
              - name: to_kafka
                config:
                  materialized: streaming_table
                  connector_properties:
                    connector: kafka
                    topic: out
                    format: json
                    properties.bootstrap.servers: localhost:9092
                    properties.sasl.jaas.config: "{{ env_var('DBT_ENV_SECRET_SINK_JAAS') }}"
            """;

    private static final Map<String, String> BUILD = Map.of(
            "JAAS", "PlainLoginModule required password=\"built-1111\";",
            "DBT_ENV_SECRET_TRUSTSTORE", "built-2222",
            "DBT_ENV_SECRET_SINK_JAAS", "PlainLoginModule required password=\"built-3333\";");

    private static final Map<String, String> PRODUCTION = Map.of(
            "JAAS", "PlainLoginModule required password=\"prod-1111\";",
            "DBT_ENV_SECRET_TRUSTSTORE", "prod-2222",
            "DBT_ENV_SECRET_SINK_JAAS", "PlainLoginModule required password=\"prod-3333\";");

    @TempDir
    Path dir;

    @Test
    void aBundleCarriesNoSecretValueAndItsDeployRendersThemFromItsOwnEnvironment() throws IOException {
        Path jar = bundle("\"{{ env_var('JAAS') }}\"");
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getEntry(BundledProject.ENTRY)).isNotNull();
            for (JarEntry entry : Collections.list(file.entries())) {
                try (InputStream in = file.getInputStream(entry)) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                            .as(entry.getName())
                            .doesNotContain("built-1111")
                            .doesNotContain("built-2222")
                            .doesNotContain("built-3333");
                }
            }
        }

        CompiledProject deployed = read(jar, PRODUCTION);
        SourceTable events = deployed.project().sources().stream()
                .filter(source -> source.name().equals("events"))
                .findFirst()
                .orElseThrow();
        assertThat(events.connectorProperties())
                .containsEntry("properties.sasl.jaas.config", PRODUCTION.get("JAAS"))
                .containsEntry("properties.ssl.truststore.password", "prod-2222")
                .containsEntry("topic", "events");
        assertThat(events.secretProperties()).containsEntry("properties.sasl.jaas.config", "{{ env_var('JAAS') }}");
        Model sink = deployed.project().models().get("to_kafka");
        assertThat(sink.config().connectorProperties())
                .containsEntry("properties.sasl.jaas.config", PRODUCTION.get("DBT_ENV_SECRET_SINK_JAAS"));
        assertThat(sink.config().values().get("connector_properties"))
                .asInstanceOf(InstanceOfAssertFactories.map(String.class, String.class))
                .containsEntry("properties.sasl.jaas.config", PRODUCTION.get("DBT_ENV_SECRET_SINK_JAAS"));

        // where a variable is missing, the deploy stops before anything changes, naming the option's line
        Map<String, String> withoutJaas = Map.of(
                "DBT_ENV_SECRET_TRUSTSTORE", "prod-2222",
                "DBT_ENV_SECRET_SINK_JAAS", "PlainLoginModule required password=\"prod-3333\";");
        assertThatThrownBy(() -> read(jar, withoutJaas))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("Cannot deploy it.test:shop:1.0: a bundle carries no secret values")
                .hasMessageContaining("src/main/sql/kafka.yml:13:13")
                .hasMessageContaining("JAAS")
                .satisfies(
                        e -> assertThat(e.getMessage()).doesNotContain("prod-").doesNotContain("built-"));
    }

    @Test
    void aSecretWrittenAsAValueIsNotBundledAndNoFileIsLeft() throws IOException {
        assertThatThrownBy(() -> bundle("'PlainLoginModule required password=\"literal-4444\";'"))
                .isInstanceOf(ProblemsException.class)
                .hasMessageContaining("src/main/sql/kafka.yml:13:13")
                .hasMessageContaining("The secret option 'properties.sasl.jaas.config' of source 'k.events' is"
                        + " written as a value; a bundle is published, so it cannot carry it.")
                .hasMessageContaining("env_var('DBT_ENV_SECRET_PROPERTIES_SASL_JAAS_CONFIG')")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("literal-4444"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.contains(".jar"));
        }
    }

    private Path bundle(String jaas) {
        Path project = TestProjects.shop(dir.resolve("project"));
        write(project, "src/main/sql/kafka.yml", KAFKA.formatted(jaas));
        write(project, "src/main/sql/to_kafka.sql", "select a from {{ source('k', 'events') }}\n");
        Path jar = dir.resolve("shop-1.0.jar");
        FlinkDbt.bundle(
                TestProjects.settings(project).build(),
                TestProjects.invocation().environment(BUILD).build(),
                null,
                jar,
                LocalDateTime.of(2026, 12, 1, 0, 0));
        return jar;
    }

    private CompiledProject read(Path jar, Map<String, String> environment) {
        return BundledProject.read(
                jar,
                "it.test:shop:1.0",
                dir.resolve("deploying"),
                ProjectPlanner.flinkVersion(),
                environment,
                "prod",
                Hints.plain());
    }
}

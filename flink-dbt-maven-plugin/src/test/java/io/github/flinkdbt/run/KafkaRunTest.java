package io.github.flinkdbt.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.testing.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streaming models with Kafka targets and sources (connector_properties), against one real broker. */
class KafkaRunTest {

    private static final String PASSWORD = "pw-Kq93-never-shown";

    private static EmbeddedKafkaBroker kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    @Test
    void streamingModelsWriteToKafkaAndUpsertKafka() throws Exception {
        Path project = dir.resolve("events");
        TestProjects.write(project, "src/main/sql/sources.yml", """
                    version: 2
                    sources:
                      - name: gen
                        tables:
                          - name: events
                            config:
                              connector_properties:
                                connector: datagen
                                fields.id.kind: sequence
                                fields.id.start: '1'
                                fields.id.end: '300'
                            columns:
                              - name: id
                                data_type: BIGINT NOT NULL
                    """);
        TestProjects.write(project, "src/main/sql/user_totals.sql", """
                    {{ config(materialized='streaming_table', unique_key='user_id', connector_properties={
                        'connector': 'upsert-kafka', 'topic': 'user-totals',
                        'properties.bootstrap.servers': '%s', 'key.format': 'json', 'value.format': 'json'}) }}
                    select id %% 5 as user_id, count(*) as events from {{ source('gen', 'events') }} group by id %% 5
                    """.formatted(kafka.bootstrapServers()));
        TestProjects.write(project, "src/main/sql/late_events.sql", """
                    {{ config(materialized='streaming_table', connector_properties={
                        'connector': 'kafka', 'topic': 'late-events',
                        'properties.bootstrap.servers': '%s', 'format': 'json'}) }}
                    select id from {{ source('gen', 'events') }} where id > 200
                    """.formatted(kafka.bootstrapServers()));

        RunOutcome outcome = FlinkDbt.run(
                TestProjects.settings(project)
                        .defaultName("events")
                        .home(dir.resolve("home"))
                        .build(),
                TestProjects.invocation().build());
        assertThat(outcome.failures()).isEmpty();

        // the upsert topic's last value per key is the final count: 300 events over 5 users
        Map<String, String> latest = new TreeMap<>();
        for (ConsumerRecord<String, String> record : consume(kafka, "user-totals", 5)) {
            latest.put(record.key(), record.value());
        }
        assertThat(latest)
                .hasSize(5)
                .containsEntry("{\"user_id\":0}", "{\"user_id\":0,\"events\":60}")
                .containsEntry("{\"user_id\":4}", "{\"user_id\":4,\"events\":60}");
        assertThat(consume(kafka, "late-events", 100))
                .hasSize(100)
                .extracting(ConsumerRecord::value)
                .contains("{\"id\":201}", "{\"id\":300}");
    }

    /**
     * A secret in a connector option and a real failure at run time that involves it (the broker
     * does not speak SASL): the failure is reported, and the secret is nowhere in the log (debug
     * lines included), the exception, run_results.json or the compile output — while the catalog
     * file the run needs it from holds it, readable by the owner only.
     */
    @Test
    void aRunTimeFailureOfASourceWithASecretNeverShowsTheSecret() throws Exception {
        Path project = dir.resolve("secured");
        TestProjects.write(project, "src/main/sql/sources.yml", """
                version: 2
                sources:
                  - name: bus
                    tables:
                      - name: payments
                        config:
                          connector_properties:
                            connector: kafka
                            topic: payments
                            properties.bootstrap.servers: '%s'
                            properties.security.protocol: SASL_PLAINTEXT
                            properties.sasl.mechanism: PLAIN
                            properties.sasl.jaas.config: "{{ env_var('DBT_ENV_SECRET_KAFKA_JAAS') }}"
                            scan.startup.mode: earliest-offset
                            scan.bounded.mode: latest-offset
                            format: json
                        columns:
                          - name: id
                            data_type: BIGINT
                """.formatted(kafka.bootstrapServers()));
        TestProjects.write(project, "src/main/sql/large_payments.sql", """
                {{ config(materialized='streaming_table') }}
                select id from {{ source('bus', 'payments') }} where id > 0
                """);
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"flink\" "
                + "password=\"" + PASSWORD + "\";";
        List<String> log = new CopyOnWriteArrayList<>();
        Settings settings = TestProjects.settings(project)
                .defaultName("secured")
                .home(dir.resolve("home"))
                .build();

        Throwable failure = catchThrowable(() -> FlinkDbt.run(
                settings,
                TestProjects.invocation(TestProjects.capturing(log, true))
                        .environment(Map.of("DBT_ENV_SECRET_KAFKA_JAAS", jaas))
                        .build()));

        assertThat(failure)
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("large_payments: IllegalSaslStateException");
        assertThat(stackTrace(failure)).doesNotContain(PASSWORD);
        assertThat(log).anyMatch(line -> line.contains("large_payments") && line.contains("ERROR"));
        assertThat(String.join("\n", log)).doesNotContain(PASSWORD).contains("Caused by");
        Path output = project.resolve("target/flink-dbt");
        assertThat(Files.readString(output.resolve("run_results.json"))).doesNotContain(PASSWORD);
        try (Stream<Path> files = Files.walk(output)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain(PASSWORD);
            }
        }
        assertThat(Files.readString(output.resolve("manifest.json")))
                .contains("\"properties.sasl.jaas.config\": \"****\"");
        // the positive control: the run had the secret, in the one file that must hold it
        Path catalogFile = dir.resolve("home/catalog/bus/payments.json");
        assertThat(Files.readString(catalogFile)).contains(PASSWORD);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(catalogFile)))
                .isEqualTo("rw-------");
    }

    private static String stackTrace(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    /** Everything in the topic, read until at least {@code atLeast} records came and then 2 s of quiet. */
    private static List<ConsumerRecord<String, String>> consume(EmbeddedKafkaBroker kafka, String topic, int atLeast) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 60_000;
            long quietSince = System.currentTimeMillis();
            while (System.currentTimeMillis() < deadline
                    && (records.size() < atLeast || System.currentTimeMillis() - quietSince < 2000)) {
                var batch = consumer.poll(Duration.ofMillis(200));
                if (!batch.isEmpty()) {
                    quietSince = System.currentTimeMillis();
                }
                batch.forEach(records::add);
            }
        }
        return records;
    }
}

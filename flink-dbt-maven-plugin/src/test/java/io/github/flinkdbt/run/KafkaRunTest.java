package io.github.flinkdbt.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.testing.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streaming models whose target is Kafka (through connector_properties), against a real broker. */
class KafkaRunTest {

    @TempDir
    Path dir;

    @Test
    void streamingModelsWriteToKafkaAndUpsertKafka() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
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

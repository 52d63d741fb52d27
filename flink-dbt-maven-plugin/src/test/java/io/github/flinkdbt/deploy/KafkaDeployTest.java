package io.github.flinkdbt.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.DeployMode;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.RemoteAccess;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.cluster.ClusterRestApi;
import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.cluster.standalone.SharedCluster;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.deploy.DeployOutcome.ModelResult;
import io.github.flinkdbt.home.ledger.Ledger;
import io.github.flinkdbt.home.ledger.LedgerRecord;
import io.github.flinkdbt.home.ledger.LedgerRecord.Kind;
import io.github.flinkdbt.testing.EmbeddedKafkaBroker;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end proof: a real broker, a producer writing numbered events the whole time, and two
 * streaming models reading them through exactly-once Kafka sinks (an aggregate to upsert-kafka, the
 * events themselves to an append topic). Deployed, upgraded, the deployer killed mid-upgrade and
 * run again, a change whose new jobs fail rolled back, a TaskManager killed, two deploys at once.
 * Then a {@code read_committed} consumer counts: every event exactly once in each topic.
 */
@ExtendWith(SharedCluster.Resolver.class)
class KafkaDeployTest {

    private static final String BUCKETS = """
            {{ config(materialized='streaming_table', unique_key='bucket', connector_properties={
                'connector': 'upsert-kafka', 'topic': 'bucket-counts', 'properties.bootstrap.servers': '%1$s',
                'key.format': 'json', 'value.format': 'json', 'sink.delivery-guarantee': 'exactly-once',
                'sink.transactional-id-prefix': 'flink-dbt-bucket-counts',
                'properties.transaction.timeout.ms': '600000'}) }}
            select id %% 4 as bucket, count(*) as cnt, sum(id) as total
            from {{ source('kafka', 'events') }} %2$s group by id %% 4
            """;
    private static final String PASSED = """
            {{ config(materialized='streaming_table', connector_properties={
                'connector': 'kafka', 'topic': 'events-out', 'properties.bootstrap.servers': '%1$s',
                'format': 'json', 'sink.delivery-guarantee': 'exactly-once',
                'sink.transactional-id-prefix': 'flink-dbt-events-out',
                'properties.transaction.timeout.ms': '600000'}) }}
            select id from {{ source('kafka', 'events') }} %2$s
            """;
    private static final String FAILING = "where cast(concat(cast(id as string), 'x') as int) <> 0";

    @TempDir
    static Path dir;

    private static EmbeddedKafkaBroker kafka;
    private static SharedCluster shared;
    private static FlinkCluster cluster;

    @BeforeAll
    static void start(SharedCluster sharedCluster) throws Exception {
        shared = sharedCluster;
        kafka = EmbeddedKafkaBroker.start();
        cluster = FlinkCluster.open(shared.restUrl(), RemoteAccess.NONE, 0, 0, Hints.plain());
    }

    @AfterAll
    static void stop() throws Exception {
        TestPipelines.cancelAll(cluster, "flink-dbt:orders:");
        cluster.close();
        kafka.close();
    }

    @Test
    void everyEventIsCountedExactlyOnceThroughUpgradesCrashesRollbacksAndALostTaskManager() throws Exception {
        Path project = project(dir.resolve("orders"), "");
        Producer producer = new Producer(kafka.bootstrapServers());
        producer.start();
        try {
            // deploy
            assertThat(actions(deploy(project)))
                    .containsOnly(
                            Map.entry("bucket_counts", "CREATE COMMITTED"),
                            Map.entry("events_passed", "CREATE COMMITTED"));

            // a compatible change of both, side by side through savepoints: the aggregate's state computed before it
            // restores (UPGRADE); the pass-through's filter holds no state (RESTART, its positions restored)
            project(project, "where id > 0");
            assertThat(actions(deploy(project)))
                    .containsOnly(
                            Map.entry("bucket_counts", "UPGRADE COMMITTED"),
                            Map.entry("events_passed", "RESTART COMMITTED"));

            // the deploying JVM killed the moment a savepoint existed that the ledger did not know yet; run again
            project(project, "where id > -1");
            assertThatThrownBy(() -> FlinkDbt.deploy(
                            settings(project).build(),
                            invocation(log())
                                    .fork(true)
                                    .runJvmArgs(List.of(
                                            "-Xmx1g", "-D" + ModelTransition.HALT_PROPERTY + "=before:SAVEPOINT_TAKEN"))
                                    .build(),
                            DeployMode.DEPLOY))
                    .isInstanceOf(FlinkDbtException.class);
            // the dead deployer's lease would end by itself within seconds; an operator who knows it is dead opens it
            FlinkDbt.forceUnlock(settings(project).build(), invocation(log()).build());
            List<String> resumed = log();
            DeployOutcome finished = FlinkDbt.deploy(
                    settings(project).build(), invocation(resumed).build(), DeployMode.DEPLOY);
            // what the killed deployer had begun, the next one finished (what it had not begun, it deploys)
            assertThat(actions(finished).values())
                    .allMatch(a -> a.equals("NOOP UNCHANGED")
                            || a.equals("UPGRADE COMMITTED")
                            || a.equals("RESTART COMMITTED"));
            assertThat(String.join("\n", resumed))
                    .containsPattern("(bucket_counts|events_passed): finishing deployment #3");
            List<LedgerRecord> records = ledger().read().records();
            for (String model : List.of("bucket_counts", "events_passed")) {
                List<LedgerRecord> journal = records.stream()
                        .filter(r -> r.deployment().equals("3") && model.equals(r.model()))
                        .toList();
                if (journal.stream().anyMatch(r -> r.kind() == Kind.SAVEPOINT_TRIGGERED)) {
                    // asked twice under one trigger id: one savepoint, recorded by the next deployer
                    assertThat(journal)
                            .extracting(LedgerRecord::kind)
                            .startsWith(
                                    Kind.INTENT,
                                    Kind.SAVEPOINT_TRIGGERED,
                                    Kind.SAVEPOINT_TAKEN,
                                    Kind.JOB_SUBMITTING,
                                    Kind.HEALTHY,
                                    Kind.COMMITTED);
                    assertThat(journal.get(0).fencingToken())
                            .isLessThan(journal.get(2).fencingToken());
                }
            }
            assertThat(records.stream()
                            .filter(r -> r.kind() == Kind.DEPLOYMENT_FINISHED
                                    && r.deployment().equals("3")))
                    .hasSize(1);
            // one savepoint kept: the older ones are disposed of by the cluster, and recorded so
            assertThat(records.stream().filter(r -> r.kind() == Kind.SAVEPOINT_DISPOSED))
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(Path.of(URI.create(r.facts().get("savepoint"))))
                            .doesNotExist());
            // the submissions were recognised: one job per model
            assertThat(cluster.jobs("flink-dbt:orders:").stream()
                            .filter(job -> !job.status().isGloballyTerminalState()))
                    .hasSize(2);

            // a change whose new jobs fail at run time: both rolled back to their plans from the same savepoints
            project(project, FAILING);
            assertThatThrownBy(() -> deploy(project))
                    .hasMessageContaining("bucket_counts: rolled back")
                    .hasMessageContaining("events_passed: rolled back")
                    .hasMessageContaining("NumberFormatException")
                    .hasMessageContaining("The previous plan runs again")
                    .hasMessageContaining("The new plan had committed no output: nothing is written twice.");
            project(project, "where id > -1");
            DeployedState state = DeployedState.read(ledger());
            assertThat(state.models().values()).allSatisfy(model -> {
                assertThat(cluster.job(model.job()).status()).isEqualTo(JobStatus.RUNNING);
                assertThat(HealthGate.samePlace(
                                cluster.checkpoints(model.job())
                                        .restored()
                                        .orElseThrow()
                                        .externalPath(),
                                model.savepoint()))
                        .isTrue();
            });
            assertThat(ledger().read().records().stream().map(LedgerRecord::kind))
                    .contains(Kind.ROLLING_BACK, Kind.ROLLED_BACK);

            // the TaskManager of the aggregate killed: the jobs on it restart from their last checkpoint
            JobID counts = state.models().get("bucket_counts").job();
            JobID passedJob = state.models().get("events_passed").job();
            String killed = taskManagerOf(counts);
            boolean sameTaskManager = killed.equals(taskManagerOf(passedJob));
            long pid = shared.status().processes().stream()
                    .filter(p -> p.name().equals(killed))
                    .findFirst()
                    .orElseThrow()
                    .pid();
            ProcessHandle taskManager = ProcessHandle.of(pid).orElseThrow();
            taskManager.destroyForcibly();
            taskManager.onExit().get(30, TimeUnit.SECONDS);
            shared.heal();
            awaitRestarted(counts);
            if (sameTaskManager) {
                awaitRestarted(passedJob);
            }

            // two deploys of the same change at once (two checkouts of one commit, one deployer in a JVM of its own):
            // one deploys, the other waits for the lock, then finds nothing left to do
            Path twin = project(dir.resolve("twin/orders"), "where id > -2");
            project(project, "where id > -2");
            CompletableFuture<DeployOutcome> first = CompletableFuture.supplyAsync(() -> deploy(project));
            CompletableFuture<DeployOutcome> second = CompletableFuture.supplyAsync(() -> FlinkDbt.deploy(
                    settings(twin).build(),
                    invocation(log()).fork(true).runJvmArgs(List.of("-Xmx1g")).build(),
                    DeployMode.DEPLOY));
            List<Map<String, String>> both =
                    List.of(actions(first.get(5, TimeUnit.MINUTES)), actions(second.get(5, TimeUnit.MINUTES)));
            assertThat(both)
                    .containsExactlyInAnyOrder(
                            Map.of("bucket_counts", "UPGRADE COMMITTED", "events_passed", "RESTART COMMITTED"),
                            Map.of("bucket_counts", "NOOP UNCHANGED", "events_passed", "NOOP UNCHANGED"));
        } finally {
            producer.stop();
        }
        long produced = producer.produced();
        assertThat(produced).isGreaterThan(500);

        // every event exactly once: in the aggregate (counts and sums of ids per bucket) and in the passed events
        Map<Long, long[]> buckets = latestBuckets(readCommitted(
                "bucket-counts",
                records -> latestBuckets(records).values().stream()
                                .mapToLong(b -> b[0])
                                .sum()
                        >= produced));
        assertThat(buckets.values().stream().mapToLong(b -> b[0]).sum()).isEqualTo(produced);
        assertThat(buckets.values().stream().mapToLong(b -> b[1]).sum()).isEqualTo(produced * (produced + 1) / 2);
        List<Long> passed = readCommitted("events-out", records -> records.size() >= produced).stream()
                .map(record -> Json.read(record.value()).path("id").asLong())
                .toList();
        assertThat(passed).hasSize((int) produced);
        assertThat(new HashSet<>(passed)).hasSize((int) produced);
    }

    private static Path project(Path project, String filter) {
        if (!Files.exists(project.resolve("src/main/sql/sources.yml"))) {
            TestProjects.write(project, "src/main/sql/sources.yml", """
                    version: 2
                    sources:
                      - name: kafka
                        tables:
                          - name: events
                            config:
                              connector_properties:
                                connector: kafka
                                topic: events
                                properties.bootstrap.servers: '%s'
                                properties.group.id: flink-dbt-orders
                                scan.startup.mode: earliest-offset
                                format: json
                            columns:
                              - name: id
                                data_type: BIGINT NOT NULL
                    """.formatted(kafka.bootstrapServers()));
        }
        TestProjects.write(
                project, "src/main/sql/bucket_counts.sql", BUCKETS.formatted(kafka.bootstrapServers(), filter));
        TestProjects.write(
                project, "src/main/sql/events_passed.sql", PASSED.formatted(kafka.bootstrapServers(), filter));
        return project;
    }

    private static DeployOutcome deploy(Path project) {
        return FlinkDbt.deploy(settings(project).build(), invocation(log()).build(), DeployMode.DEPLOY);
    }

    private static Settings.Builder settings(Path project) {
        return TestProjects.settings(project)
                // the Kafka connector as the project's dependency, shipped with its jobs
                .classpath(TestProjects.testClasspath().stream()
                        .filter(jar -> jar.getFileName().toString().matches("(flink-connector-kafka|kafka-clients)-.*"))
                        .toList())
                .defaultName("orders")
                .database("orders")
                .home(dir.resolve("home"))
                .cluster(shared.restUrl())
                .deploy(new Settings.Deploy(null, 240, 90, 1, 1));
    }

    private static Invocation.Builder invocation(List<String> log) {
        return TestProjects.invocation(TestProjects.capturing(log)).pluginClasspath(TestProjects.testClasspath());
    }

    private static List<String> log() {
        return Collections.synchronizedList(new ArrayList<>());
    }

    private static Ledger ledger() {
        return Ledger.open(new org.apache.flink.core.fs.Path(
                dir.resolve("home/ledger/orders").toUri()));
    }

    private static Map<String, String> actions(DeployOutcome outcome) {
        return outcome.models().stream()
                .collect(Collectors.toMap(ModelResult::model, m -> m.action() + " " + m.outcome()));
    }

    /** The resource id ({@code taskmanager-<n>}) of the TaskManager running the job's first task. */
    private static String taskManagerOf(JobID job) {
        ClusterRestApi api = new ClusterRestApi(shared.restUrl());
        JsonNode details = api.get("/jobs/" + job, Duration.ofSeconds(5)).orElseThrow();
        String vertex = details.path("vertices").path(0).path("id").asText();
        return api.get("/jobs/" + job + "/vertices/" + vertex + "/taskmanagers", Duration.ofSeconds(5))
                .orElseThrow()
                .path("taskmanagers")
                .path(0)
                .path("taskmanager-id")
                .asText();
    }

    /** Waits until the job restarted from one of its checkpoints (not the savepoint it started from) and runs. */
    private static void awaitRestarted(JobID job) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        while (!cluster.job(job).allTasksRunning()
                || cluster.checkpoints(job)
                        .restored()
                        .map(FlinkCluster.Checkpoint::savepoint)
                        .orElse(true)) {
            assertThat(System.currentTimeMillis())
                    .as("job %s runs again, restored from a checkpoint", job)
                    .isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    /** The last value per bucket of the upsert topic: {cnt, total}. */
    private static Map<Long, long[]> latestBuckets(List<ConsumerRecord<String, String>> records) {
        Map<Long, long[]> latest = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            JsonNode value = Json.read(record.value());
            latest.put(
                    Json.read(record.key()).path("bucket").asLong(),
                    new long[] {value.path("cnt").asLong(), value.path("total").asLong()});
        }
        return latest;
    }

    /**
     * The topic's records from the start, read with {@code read_committed}, once they are
     * {@code enough} and 5 s passed without another (so a duplicate would be seen), or after 90 s.
     */
    private static List<ConsumerRecord<String, String>> readCommitted(
            String topic, Predicate<List<ConsumerRecord<String, String>>> enough) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "count-" + topic);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 90_000;
            long quietSince = System.currentTimeMillis();
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(250))) {
                    seen.add(record);
                    quietSince = System.currentTimeMillis();
                }
                if (enough.test(seen) && System.currentTimeMillis() - quietSince > 5_000) {
                    break;
                }
            }
        }
        return seen;
    }

    /** Writes {"id": 1}, {"id": 2}, … to the events topic, about 50 a second, until stopped. */
    private static final class Producer {
        private final KafkaProducer<String, String> producer;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong produced = new AtomicLong();
        private final Thread thread;

        Producer(String bootstrapServers) {
            Properties properties = new Properties();
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producer = new KafkaProducer<>(properties);
            thread = new Thread(this::produce, "events-producer");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void produce() {
            try {
                while (running.get()) {
                    long id = produced.get() + 1;
                    producer.send(new ProducerRecord<>("events", "{\"id\": " + id + "}"))
                            .get();
                    produced.set(id);
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                throw new IllegalStateException("producing event " + (produced.get() + 1), e);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
            producer.close();
        }

        long produced() {
            return produced.get();
        }
    }
}

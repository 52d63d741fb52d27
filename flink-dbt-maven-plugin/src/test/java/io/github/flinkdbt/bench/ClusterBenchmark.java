package io.github.flinkdbt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.RemoteAccess;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.cluster.ClusterClasspath;
import io.github.flinkdbt.cluster.ClusterRestApi;
import io.github.flinkdbt.cluster.EmbeddedCluster;
import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.cluster.JobClasspath;
import io.github.flinkdbt.cluster.standalone.StandaloneCluster;
import io.github.flinkdbt.cluster.standalone.StandaloneRunTest;
import io.github.flinkdbt.common.AtomicFiles;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.mojo.MavenHints;
import io.github.flinkdbt.run.RunOutcome;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

/**
 * The cluster benchmark of site/benchmarks.md, through the core API of the goals:
 * <ol>
 *   <li>{@code start-cluster} to ready: a JobManager and two TaskManagers registered;</li>
 *   <li>submit to RUNNING (every task running) of a streaming job, on the embedded cluster and on
 *       the standalone one (where the job carries its jars, as every run's jobs do);</li>
 *   <li>the sample project's {@code run} on each target: the first (empty home) and a later one
 *       (restoring its streaming models from their savepoints);</li>
 *   <li>the standalone TaskManagers' metaspace after those runs (what jobs' class loaders leave).</li>
 * </ol>
 * Run: {@code mvn -pl flink-dbt-maven-plugin -Pbench verify -Dbench.skipPlanning -Dbench.skipUnit -Dbench.skipState -Dbench.skipDeploy -Dbench.runs=3}
 */
public final class ClusterBenchmark {

    /**
     * Job details as they are now: the REST API caches them for 3 s by default, which would round
     * every submit-to-RUNNING figure up to the cache's refresh.
     */
    private static final Map<String, String> FRESH_JOB_DETAILS = Map.of("web.refresh-interval", "50 ms");

    private ClusterBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/bench-cluster").toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        AtomicFiles.deleteTree(work);
        Files.createDirectories(work);
        System.out.printf(
                Locale.ROOT,
                "Cluster benchmark: %d cores, Java %s, median of %d runs%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                runs);
        StandaloneCluster.Spec spec = new StandaloneCluster.Spec(
                work.resolve("cluster"),
                freePort(),
                2,
                2,
                FRESH_JOB_DETAILS,
                ClusterClasspath.forCluster(TestProjects.testClasspath()),
                Duration.ofSeconds(30));
        List<Long> starts = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            StandaloneCluster.start(spec, BuildLog.silent(), Hints.plain());
            starts.add(millis(start));
            if (run < runs - 1) {
                StandaloneCluster.stop(spec.directory(), spec.stopTimeout());
            }
        }
        report("start-cluster to ready (1 JobManager, 2 TaskManagers)", starts);
        try {
            try (FlinkCluster embedded = EmbeddedCluster.start(0, 4, FRESH_JOB_DETAILS, MavenHints.get())) {
                report("submit to RUNNING, embedded", submitToRunning(embedded, work, runs));
            }
            try (FlinkCluster standalone = FlinkCluster.open(
                    StandaloneCluster.status(spec.directory()).restUrl(), RemoteAccess.NONE, 0, 0, MavenHints.get())) {
                report("submit to RUNNING, standalone (jars shipped)", submitToRunning(standalone, work, runs));
            }
            Path sample = StandaloneRunTest.sampleWithFixedEvents(work.resolve("sample"));
            for (String target : List.of("embedded", "standalone")) {
                List<Long> first = new ArrayList<>();
                List<Long> later = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    Path home = work.resolve("home-" + target + "-" + run);
                    Settings settings = TestProjects.settings(sample)
                            .defaultName("clickstream")
                            .database("clickstream")
                            .vars(Map.of("attribution_window_minutes", 30))
                            .classpath(List.of(sample.resolve("target/classes")))
                            .home(home)
                            .cluster(
                                    target.equals("embedded")
                                            ? null
                                            : StandaloneCluster.status(spec.directory())
                                                    .restUrl())
                            .build();
                    first.add(timedRun(settings));
                    later.add(timedRun(settings));
                }
                report("sample run, first, " + target, first);
                report("sample run, later, " + target, later);
            }
            // what every job's class loader leaves behind: flat when the cluster has the table layer
            ClusterRestApi api = new ClusterRestApi(
                    StandaloneCluster.status(spec.directory()).restUrl());
            for (JsonNode taskManager : api.get("/taskmanagers", Duration.ofSeconds(5))
                    .orElseThrow()
                    .path("taskmanagers")) {
                String id = taskManager.path("id").asText();
                long used = api.get(
                                "/taskmanagers/" + id + "/metrics?get=Status.JVM.Memory.Metaspace.Used",
                                Duration.ofSeconds(5))
                        .orElseThrow()
                        .path(0)
                        .path("value")
                        .asLong();
                System.out.printf(
                        Locale.ROOT,
                        "  %-55s %,7d MB   (after %d sample runs)%n",
                        "metaspace used, " + id,
                        used / 1_000_000,
                        2 * runs);
            }
        } finally {
            StandaloneCluster.stop(spec.directory(), spec.stopTimeout());
        }
    }

    private static long timedRun(Settings settings) {
        long start = System.nanoTime();
        RunOutcome outcome = FlinkDbt.run(
                settings,
                TestProjects.invocation(BuildLog.silent())
                        .pluginClasspath(TestProjects.testClasspath())
                        .printDag(false)
                        .build());
        long elapsed = millis(start);
        if (!outcome.models().stream().allMatch(m -> m.status().equals("success"))) {
            throw new IllegalStateException("the sample run failed: " + outcome.models());
        }
        return elapsed;
    }

    /** From the call that submits a streaming job to the moment the cluster reports every task running. */
    private static List<Long> submitToRunning(FlinkCluster cluster, Path work, int runs) throws Exception {
        Map<String, String> options = new HashMap<>(cluster.submissionOptions());
        options.putAll(JobClasspath.forCluster(cluster, List.of(), TestProjects.testClasspath(), work.resolve("cache"))
                .options());
        TableEnvironment environment = TableEnvironment.create(EnvironmentSettings.newInstance()
                .inStreamingMode()
                .withConfiguration(Configuration.fromMap(options))
                .build());
        environment.executeSql(
                "CREATE TABLE events (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '10')");
        environment.executeSql("CREATE TABLE sink (id BIGINT) WITH ('connector' = 'blackhole')");
        List<Long> times = new ArrayList<>();
        for (int run = 0; run <= runs; run++) {
            long start = System.nanoTime();
            TableResult result = environment.executeSql("INSERT INTO sink SELECT id FROM events");
            JobID job = result.getJobClient().orElseThrow().getJobID();
            while (!cluster.job(job).allTasksRunning()) {
                Thread.sleep(20);
            }
            long elapsed = millis(start);
            result.getJobClient().orElseThrow().cancel().get();
            if (run > 0) { // the first warms up the client
                times.add(elapsed);
            }
        }
        return times;
    }

    private static void report(String what, List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        System.out.printf(
                Locale.ROOT, "  %-55s median %,7d ms   (runs: %s)%n", what, sorted.get(sorted.size() / 2), millis);
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
            return socket.getLocalPort();
        }
    }
}

package io.github.flinkdbt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.DeployMode;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.RemoteAccess;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.build.Build;
import io.github.flinkdbt.cluster.ClusterClasspath;
import io.github.flinkdbt.cluster.ClusterRestApi;
import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.cluster.standalone.StandaloneCluster;
import io.github.flinkdbt.common.AtomicFiles;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.deploy.DeployOutcome;
import io.github.flinkdbt.deploy.DeployOutcome.ModelResult;
import io.github.flinkdbt.home.FlinkDbtHome;
import io.github.flinkdbt.home.ledger.DeployLock;
import io.github.flinkdbt.home.ledger.Ledger;
import io.github.flinkdbt.home.ledger.LedgerRecord;
import io.github.flinkdbt.home.ledger.LedgerRecord.Kind;
import io.github.flinkdbt.planner.CompiledProject;
import io.github.flinkdbt.run.StreamingStarts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.rest.messages.TriggerId;

/**
 * The deploy benchmark of site/benchmarks.md, on a standalone cluster of its own with ten streaming
 * models (a count over a datagen sequence into Iceberg, one job each, checkpointing every 10 s: at
 * the default 2 s ten jobs' Iceberg commits alone keep two cores busy, and the figures measure the
 * saturated machine rather than the deployer):
 * <ol>
 *   <li>per-model downtime of {@code deploy} upgrading one model: from the moment the old job ended
 *       (its savepoint taken) to the moment every task of the new job runs (restored), both read
 *       from the JobManager's own timestamps;</li>
 *   <li>the same upgrade done by hand over Flink's REST API in the same run: stop with a savepoint,
 *       then submit the next plan (translated beforehand, as a scripted operator would have the job
 *       ready) restoring it — no ledger, lock, state check or health gate;</li>
 *   <li>a deployment upgrading all ten models against one upgrading one;</li>
 *   <li>savepoint, submit-to-running and health-gate times of the deploy, separately.</li>
 * </ol>
 * Run: {@code mvn -pl flink-dbt-maven-plugin -Pbench verify -Dbench.skipPlanning -Dbench.skipUnit
 * -Dbench.skipState -Dbench.skipCluster -Dbench.runs=3}
 */
public final class DeployBenchmark {

    /** Job details as they are now (the REST API caches them for 3 s by default); jobs spread over both TaskManagers. */
    private static final Map<String, String> CLUSTER =
            Map.of("web.refresh-interval", "50 ms", "cluster.evenly-spread-out-slots", "true");

    private final Path work;
    private final int models;
    private final URI restUrl;
    private final Map<String, Object> vars = new TreeMap<>();
    private int version;

    private DeployBenchmark(Path work, int models, URI restUrl) {
        this.work = work;
        this.models = models;
        this.restUrl = restUrl;
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "target/bench-deploy").toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int models = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        AtomicFiles.deleteTree(work);
        Files.createDirectories(work);
        System.out.printf(
                Locale.ROOT,
                "Deploy benchmark: %d cores, Java %s, %d models, median of %d runs%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                models,
                runs);
        StandaloneCluster.Spec spec = new StandaloneCluster.Spec(
                work.resolve("cluster"),
                freePort(),
                2,
                models,
                CLUSTER,
                ClusterClasspath.forCluster(TestProjects.testClasspath()),
                Duration.ofSeconds(30));
        URI restUrl =
                StandaloneCluster.start(spec, BuildLog.silent(), Hints.plain()).restUrl();
        try {
            new DeployBenchmark(work, models, restUrl).measure(runs);
        } finally {
            StandaloneCluster.stop(spec.directory(), spec.stopTimeout());
        }
    }

    private void measure(int runs) throws Exception {
        Path project = work.resolve("project");
        TestProjects.write(project, "src/main/sql/sources.yml", """
                version: 2
                sources:
                  - name: gen
                    tables:
                      - name: ticks
                        config:
                          connector_properties:
                            connector: datagen
                            rows-per-second: '5'
                            fields.id.kind: sequence
                            fields.id.start: '1'
                            fields.id.end: '200000'
                        columns:
                          - name: id
                            data_type: BIGINT NOT NULL
                """);
        for (int i = 1; i <= models; i++) {
            String model = model(i);
            vars.put(model, 0);
            TestProjects.write(project, "src/main/sql/" + model + ".sql", """
                    {{ config(materialized='streaming_table', unique_key='k',
                              execution_config={'execution.checkpointing.interval': '10 s'}) }}
                    select 'all' as k, count(*) as cnt, max(id) as max_id from {{ source('gen', 'ticks') }}
                    where id > {{ var('%s') }} group by 'all'
                    """.formatted(model));
        }
        deploy(project);
        List<Long> deployDowntime = new ArrayList<>();
        List<Long> handDowntime = new ArrayList<>();
        List<Long> oneDeploy = new ArrayList<>();
        List<Long> tenDeploy = new ArrayList<>();
        List<Long> tenDowntime = new ArrayList<>();
        List<Long> savepoint = new ArrayList<>();
        List<Long> submitToRunning = new ArrayList<>();
        List<Long> gate = new ArrayList<>();
        try (FlinkCluster cluster = FlinkCluster.open(restUrl, RemoteAccess.NONE, 0, 0, Hints.plain())) {
            ClusterRestApi api = new ClusterRestApi(restUrl);
            for (int run = 0; run < runs; run++) {
                // deploy, one model
                JobID before = running(cluster, model(1));
                vars.put(model(1), ++version);
                long start = System.nanoTime();
                List<String> log = Collections.synchronizedList(new ArrayList<>());
                DeployOutcome one = deploy(project, log);
                oneDeploy.add(millisSince(start));
                JobID after = JobID.fromHexString(result(one, model(1)).job());
                long running = allTasksRunning(api, after);
                deployDowntime.add(running - endTime(api, before));
                savepoint.add(seconds(log, model(1) + ": savepoint ", " in "));
                submitToRunning.add(running - submittedAt(api, after));
                gate.add(seconds(log, model(1) + ": RUNNING, restored, first checkpoint completed ("));

                // by hand, the same model, over the REST API
                handDowntime.add(byHand(project, cluster, api));

                // deploy, every model
                Map<String, JobID> jobs = new TreeMap<>();
                for (int i = 1; i <= models; i++) {
                    jobs.put(model(i), running(cluster, model(i)));
                    vars.put(model(i), ++version);
                }
                start = System.nanoTime();
                DeployOutcome all = deploy(project, Collections.synchronizedList(new ArrayList<>()));
                tenDeploy.add(millisSince(start));
                long worst = 0;
                for (ModelResult result : all.models()) {
                    long down = allTasksRunning(api, JobID.fromHexString(result.job()))
                            - endTime(api, jobs.get(result.model()));
                    worst = Math.max(worst, down);
                }
                tenDowntime.add(worst);
                System.out.printf(
                        Locale.ROOT,
                        "run %d: downtime deploy %d ms, by hand %d ms; deploy of 1 model %d ms, of %d %d ms%n",
                        run + 1,
                        deployDowntime.get(run),
                        handDowntime.get(run),
                        oneDeploy.get(run),
                        models,
                        tenDeploy.get(run));
            }
        }
        long deployMedian = median(deployDowntime);
        long handMedian = median(handDowntime);
        System.out.printf(
                Locale.ROOT,
                "(a) per-model downtime, deploy:          %6d ms (runs %s)%n"
                        + "(b) per-model downtime, by hand (REST):  %6d ms (runs %s)   ratio (a)/(b) = %.2f (target <= 1.1)%n"
                        + "(c) deploy of 1 model (whole goal):      %6d ms (runs %s)%n"
                        + "(d) deploy of %d models (whole goal):     %6d ms (runs %s)   ratio (d)/(c) = %.2f (target <= 2)%n"
                        + "    worst downtime among the %d:          %6d ms%n"
                        + "    savepoint %d ms, submit to every task running %d ms, submit to the first checkpoint after"
                        + " the restore (the health gate; then its window) %d ms%n",
                deployMedian,
                deployDowntime,
                handMedian,
                handDowntime,
                (double) deployMedian / handMedian,
                median(oneDeploy),
                oneDeploy,
                models,
                median(tenDeploy),
                tenDeploy,
                (double) median(tenDeploy) / median(oneDeploy),
                models,
                median(tenDowntime),
                median(savepoint),
                median(submitToRunning),
                median(gate));
        ledgerAppends(500);
    }

    /**
     * What a step's record costs a deployer once the ledger holds {@code records} (a few years of
     * deployments): the first append of a deployer reads the ledger, the next ones only write.
     */
    private void ledgerAppends(int records) {
        org.apache.flink.core.fs.Path directory = new org.apache.flink.core.fs.Path(
                work.resolve("ledger-" + records).toUri());
        Ledger filling = Ledger.open(directory);
        DeployLock.Lease lease = filling.lock().acquire("bench", Duration.ofMinutes(5), Duration.ZERO);
        for (int i = 0; i < records; i++) {
            filling.append(LedgerRecord.of("1", Kind.INTENT, "m", Map.of("n", String.valueOf(i))), lease);
        }
        Ledger deployer = Ledger.open(directory);
        long start = System.nanoTime();
        deployer.append(LedgerRecord.of("2", Kind.INTENT, "m", Map.of()), lease);
        long first = System.nanoTime() - start;
        start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            deployer.append(LedgerRecord.of("2", Kind.SAVEPOINT_TAKEN, "m", Map.of()), lease);
        }
        long next = (System.nanoTime() - start) / 100;
        System.out.printf(
                Locale.ROOT,
                "    ledger of %d records: a deployer's first append (reads it) %.1f ms, each next %.2f ms%n",
                records,
                first / 1e6,
                next / 1e6);
    }

    /** Upgrades model 1 to its next plan as a person would over REST; returns its downtime. */
    private long byHand(Path project, FlinkCluster cluster, ClusterRestApi api) throws Exception {
        vars.put(model(1), ++version);
        Settings settings = settings(project).build();
        Invocation invocation = invocation(Collections.synchronizedList(new ArrayList<>()));
        CompiledProject compiled = Build.compiled(settings, invocation);
        FlinkDbtHome home = FlinkDbtHome.open(settings.home(), Hints.plain());
        StreamingStarts starts = StreamingStarts.open(compiled, settings, invocation, cluster, home);
        StreamingStarts.Prepared next = starts.prepare(
                model(1), compiled.result().models().get(model(1)).plan().json(), false);
        JobID before = running(cluster, model(1));
        String savepoint = cluster.stopWithSavepoint(
                        before, home.savepoints("bench", model(1)).toUri().toString(), new TriggerId(), Duration.ZERO)
                .get();
        JobID after = starts.start(next, JobID.generate(), savepoint);
        return allTasksRunning(api, after) - endTime(api, before);
    }

    private DeployOutcome deploy(Path project) {
        return deploy(project, Collections.synchronizedList(new ArrayList<>()));
    }

    private DeployOutcome deploy(Path project, List<String> log) {
        return FlinkDbt.deploy(settings(project).build(), invocation(log), DeployMode.DEPLOY);
    }

    private Settings.Builder settings(Path project) {
        return TestProjects.settings(project)
                .defaultName("bench")
                .database("bench")
                .home(work.resolve("home"))
                .cluster(restUrl)
                .vars(Map.copyOf(vars))
                .deploy(new Settings.Deploy(null, 60, 300, 1, 2));
    }

    private static Invocation invocation(List<String> log) {
        return TestProjects.invocation(quiet(log))
                .pluginClasspath(TestProjects.testClasspath())
                .printDag(false)
                .build();
    }

    /** Keeps the lines without printing them. */
    private static BuildLog quiet(List<String> lines) {
        return new BuildLog() {
            @Override
            public void info(String message) {
                lines.add(message);
            }

            @Override
            public void warn(String message) {
                lines.add(message);
            }

            @Override
            public void error(String message) {
                lines.add(message);
            }

            @Override
            public void debug(String message) {}

            @Override
            public boolean isDebugEnabled() {
                return false;
            }
        };
    }

    private static String model(int i) {
        return String.format(Locale.ROOT, "m%02d", i);
    }

    private static JobID running(FlinkCluster cluster, String model) {
        return cluster.jobs(StreamingStarts.jobName("bench", model)).stream()
                .filter(job -> !job.status().isGloballyTerminalState())
                .findFirst()
                .orElseThrow()
                .id();
    }

    private static ModelResult result(DeployOutcome outcome, String model) {
        return outcome.models().stream()
                .filter(m -> m.model().equals(model))
                .findFirst()
                .orElseThrow();
    }

    /** When the job ended, by the JobManager's clock. */
    private static long endTime(ClusterRestApi api, JobID job) {
        return api.get("/jobs/" + job, Duration.ofSeconds(5))
                .orElseThrow()
                .path("end-time")
                .asLong();
    }

    /** When the JobManager took the job, by its clock. */
    private static long submittedAt(ClusterRestApi api, JobID job) {
        return api.get("/jobs/" + job, Duration.ofSeconds(5))
                .orElseThrow()
                .path("timestamps")
                .path("INITIALIZING")
                .asLong();
    }

    /** When the last of the job's tasks began to run, by the JobManager's clock; waits until all do. */
    private static long allTasksRunning(ClusterRestApi api, JobID job) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode details = api.get("/jobs/" + job, Duration.ofSeconds(5)).orElseThrow();
            long latest = 0;
            boolean all = true;
            for (JsonNode vertex : details.path("vertices")) {
                JsonNode times = api.get(
                                "/jobs/" + job + "/vertices/"
                                        + vertex.path("id").asText() + "/subtasktimes",
                                Duration.ofSeconds(5))
                        .orElseThrow();
                for (JsonNode subtask : times.path("subtasks")) {
                    long running = subtask.path("timestamps").path("RUNNING").asLong();
                    all &= running > 0;
                    latest = Math.max(latest, running);
                }
            }
            if (all && latest > 0) {
                return latest;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("job " + job + " did not run in 120 s");
    }

    /** The figure in seconds a log line gives after {@code prefix}, in milliseconds. */
    private static long seconds(List<String> log, String prefix) {
        for (String line : log) {
            int at = line.indexOf(prefix);
            if (at >= 0) {
                String number = line.substring(at + prefix.length()).replaceAll("^([0-9.]+).*", "$1");
                return Math.round(Double.parseDouble(number) * 1000);
            }
        }
        throw new IllegalStateException("no line with " + prefix + " in\n" + String.join("\n", log));
    }

    /** The figure in seconds after {@code before} on the line with {@code prefix}, in milliseconds. */
    private static long seconds(List<String> log, String prefix, String before) {
        for (String line : log) {
            int at = line.indexOf(prefix);
            if (at >= 0) {
                return seconds(List.of(line.substring(at)), before);
            }
        }
        throw new IllegalStateException("no line with " + prefix + " in\n" + String.join("\n", log));
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
            return socket.getLocalPort();
        }
    }
}

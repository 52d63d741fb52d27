package io.github.flinkdbt.bench;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.cluster.EmbeddedCluster;
import io.github.flinkdbt.common.AtomicFiles;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.mojo.MavenHints;
import io.github.flinkdbt.state.ModelVerdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The state-check benchmark of site/benchmarks.md: N streaming models, each with a real savepoint
 * (the models run on an embedded cluster in batches and are stopped with savepoints), then every
 * model changed (a new upstream filter) and checked against what ran: its plan and its savepoint.
 * Reports the check against the compile of the same N models (no plan cache).
 * Run: {@code mvn -pl flink-dbt-maven-plugin -Pbench verify -Dbench.skipPlanning -Dbench.skipUnit
 * -Dbench.stateModels=100}. Arguments: models, work directory, runs, plugin version (for the
 * project's pom.xml), and {@code reuse} to keep the savepoints of an earlier run.
 */
public final class StateCheckBenchmark {

    private StateCheckBenchmark() {}

    public static void main(String[] args) throws Exception {
        int models = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Path work = Path.of(args.length > 1 ? args[1] : "target/bench-state").toAbsolutePath();
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String pluginVersion = args.length > 3 ? args[3] : "0.1.0-SNAPSHOT";
        boolean reuse = args.length > 4 && args[4].equals("reuse") && Files.isDirectory(work.resolve("home"));
        Path project = work.resolve("project");
        Path home = work.resolve("home");
        System.out.printf(
                Locale.ROOT,
                "State-check benchmark: %d streaming models, %d cores, Java %s%n",
                models,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        int batch = 25;
        if (!reuse) {
            AtomicFiles.deleteTree(work);
            write(project, models, false);
            takeSavepoints(project, home, models, batch);
        }
        write(project, models, true);
        writePom(project, pluginVersion);
        List<Long> compiles = new ArrayList<>();
        List<Long> upToDates = new ArrayList<>();
        List<Long> checks = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            Settings build = Settings.builder(project)
                    .defaultName("bench")
                    .useCache(false)
                    .pluginVersion("bench")
                    .baseline(home.toString())
                    .build();
            Invocation invocation = Invocation.builder(BuildLog.silent(), MavenHints.get())
                    .environment(Map.of())
                    .threads(2)
                    .build();
            long start = System.nanoTime();
            FlinkDbt.compile(build, invocation);
            compiles.add((System.nanoTime() - start) / 1_000_000);
            Settings checkBuild = build.toBuilder().useCache(true).build();
            FlinkDbt.compile(checkBuild, invocation); // records the build, so the next compile is the up-to-date check
            start = System.nanoTime();
            FlinkDbt.compile(checkBuild, invocation);
            upToDates.add((System.nanoTime() - start) / 1_000_000);
            start = System.nanoTime();
            List<ModelVerdict> verdicts = FlinkDbt.checkStateCompat(checkBuild, invocation);
            checks.add((System.nanoTime() - start) / 1_000_000 - upToDates.get(run));
            long withSavepoint = verdicts.stream()
                    .filter(v -> v.operators().stream().anyMatch(o -> o.stateBytes() > 0))
                    .count();
            System.out.printf(
                    Locale.ROOT,
                    "  run %d: compile %d ms; check-state-compat: up-to-date check %d ms + "
                            + "check %d ms (%d verdicts, %d against savepoint state, first: %s)%n",
                    run + 1,
                    compiles.get(run),
                    upToDates.get(run),
                    checks.get(run),
                    verdicts.size(),
                    withSavepoint,
                    verdicts.get(0).verdict());
        }
        long compile = median(compiles);
        long check = median(checks);
        long upToDate = median(upToDates);
        System.out.printf(
                Locale.ROOT,
                "Median: compile %d ms, check %d ms → check/compile %.3f; with the goal's "
                        + "up-to-date check %d ms → %.3f%n",
                compile,
                check,
                (double) check / compile,
                check + upToDate,
                (double) (check + upToDate) / compile);
    }

    private static void takeSavepoints(Path project, Path home, int models, int batch) throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(0, batch + 4, Map.of(), MavenHints.get())) {
            for (int from = 0; from < models; from += batch) {
                List<String> names = new ArrayList<>();
                for (int i = from; i < Math.min(models, from + batch); i++) {
                    names.add(name(i));
                }
                runUntilStopped(project, home, names, cluster);
                System.out.printf(
                        Locale.ROOT,
                        "  ran and stopped with savepoints: %s..%s%n",
                        names.get(0),
                        names.get(names.size() - 1));
            }
        }
    }

    private static void runUntilStopped(Path project, Path home, List<String> names, EmbeddedCluster cluster)
            throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Settings build = Settings.builder(project)
                .defaultName("bench")
                .select(String.join(" ", names))
                .pluginVersion("bench")
                .home(home)
                .cluster(cluster.restAddress())
                .build();
        TestProjects.runUntilStopped(
                build,
                Invocation.builder(TestProjects.capturing(log), MavenHints.get())
                        .environment(Map.of())
                        .threads(2)
                        .build(),
                log,
                600,
                () -> names.stream()
                        .allMatch(name -> Files.isRegularFile(
                                home.resolve("warehouse/bench/" + name + "/metadata/v2.metadata.json"))));
    }

    /** So the same project can be measured through Maven, as site/benchmarks.md shows. */
    private static void writePom(Path project, String pluginVersion) {
        TestProjects.write(project, "pom.xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>bench</groupId>
                  <artifactId>bench</artifactId>
                  <version>1</version>
                  <packaging>flink-dbt</packaging>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>io.github.flinkdbt</groupId>
                        <artifactId>flink-dbt-maven-plugin</artifactId>
                        <version>%s</version>
                        <extensions>true</extensions>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(pluginVersion));
    }

    static String name(int i) {
        return String.format(Locale.ROOT, "counts_%03d", i);
    }

    private static void write(Path project, int models, boolean changed) {
        TestProjects.write(project, "src/main/sql/sources.yml", """
                version: 2
                sources:
                  - name: gen
                    tables:
                      - name: events
                        config:
                          connector_properties:
                            connector: datagen
                            rows-per-second: '5'
                            fields.id.kind: random
                            fields.id.min: '1'
                            fields.id.max: '1000000'
                        columns:
                          - name: id
                            data_type: BIGINT NOT NULL
                          - name: amount
                            data_type: INT
                """);
        for (int i = 0; i < models; i++) {
            TestProjects.write(
                    project,
                    "src/main/sql/" + name(i) + ".sql",
                    "{{ config(materialized='streaming_table', unique_key='k') }}\n"
                            + "select id % " + (i % 7 + 2) + " as k, count(*) as cnt, max(amount) as top_amount\n"
                            + "from {{ source('gen', 'events') }}\n"
                            + (changed ? "where amount > " + (i % 5) + "\n" : "")
                            + "group by id % " + (i % 7 + 2));
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}

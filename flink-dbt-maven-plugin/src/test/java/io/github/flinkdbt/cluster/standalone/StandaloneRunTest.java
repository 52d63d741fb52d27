package io.github.flinkdbt.cluster.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.cluster.ClusterClasspath;
import io.github.flinkdbt.run.ModelRun;
import io.github.flinkdbt.run.RunOutcome;
import io.github.flinkdbt.testing.TestOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample project run on a standalone cluster whose classpath has Flink and the table layer but
 * no project class: the model calling the project's Java UDF succeeds because the jobs carry the
 * project's classes, and every table holds the same rows as after a run on the embedded cluster.
 */
@ExtendWith(SharedCluster.Resolver.class)
public class StandaloneRunTest {

    private static final List<String> TABLES = List.of(
            "products",
            "user_activity",
            "page_views_per_minute",
            "attributed_orders",
            "category_revenue",
            "daily_revenue");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @TempDir
    static Path dir;

    private static SharedCluster cluster;
    private static Path project;

    @BeforeAll
    static void projectWithFixedEvents(SharedCluster shared) throws IOException {
        cluster = shared;
        project = sampleWithFixedEvents(dir.resolve("clickstream"));
    }

    @Test
    void theSampleRunsOnTheStandaloneClusterWithTheSameRowsAsEmbedded() throws Exception {
        // the cluster has Flink, its file connector and formats, and the table layer; no project class
        assertThat(ClusterClasspath.forCluster(TestProjects.testClasspath()))
                .anyMatch(jar -> jar.toString().contains("iceberg-flink-runtime"))
                .noneMatch(jar ->
                        jar.toString().contains("clickstream") || jar.toString().contains("test-classes"));
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        RunOutcome remote = FlinkDbt.run(
                settings(dir.resolve("home-remote")).cluster(cluster.restUrl()).build(),
                TestProjects.invocation(TestProjects.capturing(log))
                        .pluginClasspath(TestProjects.testClasspath())
                        .build());
        assertThat(String.join("\n", log)).contains("Flink cluster, web UI at " + cluster.restUrl());
        assertThat(remote.models()).allMatch(m -> m.status().equals("success"), "every model succeeded");
        assertThat(remote.models().stream().map(ModelRun::name)).contains("stg_page_views", "user_activity");
        assertThat(cluster.status().jobs().stream().map(ClusterStatus.Job::name))
                .anyMatch(name -> name.contains("user_activity"));

        RunOutcome embedded = FlinkDbt.run(
                settings(dir.resolve("home-embedded")).build(),
                TestProjects.invocation().build());
        assertThat(embedded.models()).allMatch(m -> m.status().equals("success"));
        for (String table : TABLES) {
            List<String> onCluster = rows(dir.resolve("home-remote"), table);
            assertThat(onCluster).as(table).isNotEmpty();
            assertThat(onCluster).as(table).isEqualTo(rows(dir.resolve("home-embedded"), table));
        }
        // the project's classes went as one jar, built once for the same classes
        try (Stream<Path> jars = Files.list(project.resolve("target/flink-dbt-cache/jars"))) {
            assertThat(jars.map(p -> p.getFileName().toString()))
                    .singleElement()
                    .asString()
                    .matches("project-classes-[0-9a-f]{16}\\.jar");
        }
    }

    @Test
    void theSampleProjectsTestsPassOnTheStandaloneCluster() {
        // the same tests pass on the embedded cluster in the sample-project IT
        TestOutcome remote = FlinkDbt.test(
                settings(dir.resolve("home-tests")).cluster(cluster.restUrl()).build(),
                TestProjects.invocation()
                        .pluginClasspath(TestProjects.testClasspath())
                        .build());
        assertThat(remote.results())
                .hasSizeGreaterThan(10)
                .allMatch(r -> r.status().equals("pass"), "passed");
        assertThat(remote.results().stream().map(r -> r.kind()).distinct()).contains("unit", "data");
        assertThat(remote.results().stream().map(r -> r.name()))
                .contains("stg_page_views_keeps_the_path_of_known_visitors");
    }

    private static Settings.Builder settings(Path home) {
        return TestProjects.settings(project)
                .defaultName("clickstream")
                .database("clickstream")
                .vars(Map.of("attribution_window_minutes", 30))
                .classpath(List.of(project.resolve("target/classes")))
                .flinkConfiguration(Map.of("parallelism.default", "2"))
                .home(home);
    }

    private static List<String> rows(Path home, String table) throws IOException {
        List<String> rows = new ArrayList<>(TestProjects.query(home, "SELECT * FROM flink_dbt.clickstream." + table));
        Collections.sort(rows);
        return rows;
    }

    /**
     * The sample project with its sources read from CSV files of fixed events (its own generate
     * random ones), and its UDF compiled.
     */
    public static Path sampleWithFixedEvents(Path target) throws IOException {
        Path sample = Path.of("..", "sample-project").toAbsolutePath().normalize();
        try (Stream<Path> files = Files.walk(sample.resolve("src"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = target.resolve(sample.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
        }
        StringBuilder views = new StringBuilder();
        StringBuilder orders = new StringBuilder();
        LocalDateTime start = LocalDateTime.of(2026, 11, 24, 10, 0);
        for (int i = 0; i < 2000; i++) {
            views.append(1 + i % 97)
                    .append(',')
                    .append(1 + i % 40)
                    .append(",https://shop.example/p/")
                    .append(1 + i % 40)
                    .append(i % 3 == 0 ? "?ref=ad" : "")
                    .append(',')
                    .append(TIME.format(start.plusSeconds(i * 3L)))
                    .append('\n');
        }
        for (int i = 1; i <= 500; i++) {
            orders.append(i)
                    .append(',')
                    .append(1 + i % 97)
                    .append(',')
                    .append(1 + i % 40)
                    .append(',')
                    .append(5 + (i * 37) % 400)
                    .append(".50,")
                    .append(TIME.format(start.plusSeconds(i * 11L)))
                    .append('\n');
        }
        Path events = Files.createDirectories(target.resolve("events"));
        Files.writeString(events.resolve("page_views.csv"), views);
        Files.writeString(events.resolve("orders.csv"), orders);
        String sources = Files.readString(target.resolve("src/main/sql/sources.yml"));
        sources = sources.replaceAll(
                "(?s)connector_properties:\\n            connector: datagen\\n            number-of-rows: '5000'.*?fields.url.length: '12'\\n",
                "connector_properties:\n            connector: filesystem\n            path: '"
                        + events.resolve("page_views.csv") + "'\n            format: csv\n");
        sources = sources.replaceAll(
                "(?s)connector_properties:\\n            connector: datagen\\n            number-of-rows: '1000'.*?fields.amount.max: '500'\\n",
                "connector_properties:\n            connector: filesystem\n            path: '"
                        + events.resolve("orders.csv") + "'\n            format: csv\n");
        assertThat(sources).doesNotContain("datagen");
        Files.writeString(target.resolve("src/main/sql/sources.yml"), sources);
        Path classes = Files.createDirectories(target.resolve("target/classes"));
        int compiled = ToolProvider.getSystemJavaCompiler()
                .run(
                        null,
                        null,
                        null,
                        "-d",
                        classes.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        target.resolve("src/main/java/com/example/clickstream/UrlPath.java")
                                .toString());
        assertThat(compiled).isZero();
        return target;
    }
}

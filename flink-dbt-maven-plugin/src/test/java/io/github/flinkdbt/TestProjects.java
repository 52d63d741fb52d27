package io.github.flinkdbt;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.api.BuildSummary;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.RunControl;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.mojo.MavenHints;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.ProjectLoader;
import io.github.flinkdbt.run.QueryMain;
import io.github.flinkdbt.run.RunOutcome;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/** Writes small model projects for tests and builds requests against them. */
public final class TestProjects {

    private TestProjects() {}

    public static final String SOURCES = """
            version: 2
            sources:
              - name: shop
                tables:
                  - name: page_views
                    config:
                      connector_properties:
                        connector: datagen
                        number-of-rows: '100'
                        fields.user_id.min: '1'
                        fields.user_id.max: '10'
                      watermark:
                        column: viewed_at
                        strategy: viewed_at - INTERVAL '5' SECOND
                    columns:
                      - name: user_id
                        data_type: BIGINT
                      - name: url
                        data_type: STRING
                      - name: viewed_at
                        data_type: TIMESTAMP(3)
                  - name: orders
                    config:
                      connector_properties:
                        connector: datagen
                        number-of-rows: '50'
                    columns:
                      - name: order_id
                        data_type: BIGINT
                      - name: user_id
                        data_type: BIGINT
                      - name: amount
                        data_type: DECIMAL(10, 2)
                      - name: ordered_at
                        data_type: TIMESTAMP(3)
            """;

    /** A small but complete project: views, an ephemeral, streaming tables, a table. */
    public static Path shop(Path dir) {
        write(dir, "src/main/sql/sources.yml", SOURCES);
        write(dir, "src/main/sql/staging/stg_page_views.sql", """
                select user_id, url, viewed_at
                from {{ source('shop', 'page_views') }}
                where url is not null
                """);
        write(dir, "src/main/sql/staging/big_orders.sql", """
                {{ config(materialized='ephemeral') }}
                select order_id, user_id, amount from {{ source('shop', 'orders') }} where amount > 10
                """);
        write(dir, "src/main/sql/marts/clicks_per_user.sql", """
                {{ config(materialized='streaming_table') }}
                select user_id, count(*) as clicks, max(viewed_at) as last_view
                from {{ ref('stg_page_views') }}
                group by user_id
                """);
        write(dir, "src/main/sql/marts/views_per_minute.sql", """
                {{ config(materialized='streaming_table') }}
                select window_start, window_end, count(*) as view_count
                from table(tumble(table {{ ref('stg_page_views') }}, descriptor(viewed_at), interval '1' minute))
                group by window_start, window_end
                """);
        write(dir, "src/main/sql/marts/revenue_per_user.sql", """
                {{ config(materialized='table') }}
                select user_id, sum(amount) as revenue from {{ ref('big_orders') }} group by user_id
                """);
        write(dir, "src/main/sql/schema.yml", """
                version: 2
                models:
                  - name: clicks_per_user
                    description: Clicks per user, kept up to date.
                    columns:
                      - name: user_id
                        data_tests: [not_null, unique]
                      - name: clicks
                """);
        return dir;
    }

    /**
     * A project of one streaming model, {@code tick_count}, counting a sequence 1..{@code events} that
     * a datagen source emits at {@code rowsPerSecond}: one row, {@code cnt} and {@code max_id}.
     */
    public static Path counter(Path project, int rowsPerSecond, long events) {
        write(project, "src/main/sql/sources.yml", """
                version: 2
                sources:
                  - name: gen
                    tables:
                      - name: ticks
                        config:
                          connector_properties:
                            connector: datagen
                            rows-per-second: '%d'
                            fields.id.kind: sequence
                            fields.id.start: '1'
                            fields.id.end: '%d'
                        columns:
                          - name: id
                            data_type: BIGINT NOT NULL
                """.formatted(rowsPerSecond, events));
        write(project, "src/main/sql/tick_count.sql", """
                {{ config(materialized='streaming_table', unique_key='k') }}
                select 'all' as k, count(*) as cnt, max(id) as max_id from {{ source('gen', 'ticks') }} group by 'all'
                """);
        return project;
    }

    /** Loads a project in {@code dir}; problems are added to {@code problems}. */
    public static Project load(Path dir, Problems problems) {
        return ProjectLoader.load(loading(settings(dir).build().compile(), Map.of()), problems);
    }

    /** What the loader needs to load a project with these settings and this environment. */
    public static ProjectLoader.Request loading(Settings.Compile settings, Map<String, String> environment) {
        return new ProjectLoader.Request(settings, environment, MavenHints.get());
    }

    public static void write(Path dir, String path, String content) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A project named shop in {@code dir}, its home in {@code dir/.flink-dbt}. */
    public static Settings.Builder settings(Path dir) {
        return Settings.builder(dir).defaultName("shop").pluginVersion("test");
    }

    /**
     * The repository's sample project, copied to {@code dir} with its Java functions compiled: its
     * settings (named shop, the vars its POM sets).
     */
    public static Settings.Builder sample(Path dir) throws IOException {
        Path from = Path.of("..", "sample-project");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(file);
                if (relative.startsWith("target")) {
                    continue;
                }
                Path target = dir.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        Path classes = dir.resolve("target/classes");
        Files.createDirectories(classes);
        List<String> args =
                new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")));
        try (Stream<Path> java = Files.walk(dir.resolve("src/main/java"))) {
            java.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
        }
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new)))
                .isZero();
        return settings(dir).classpath(List.of(classes)).vars(Map.of("attribution_window_minutes", 30));
    }

    /** In-process, two planner threads, an empty environment, logging to stdout, the DAG printed. */
    public static Invocation.Builder invocation() {
        return invocation(BuildLog.to(System.out));
    }

    /** The same, logging to {@code log}, as a build that goes on to run what it compiles. */
    public static Invocation.Builder invocation(BuildLog log) {
        return Invocation.builder(log, MavenHints.get())
                .environment(Map.of())
                .threads(2)
                .printDag(true)
                .keepCompiled(true);
    }

    /** Compiles with the test defaults. */
    public static BuildSummary compile(Settings.Builder settings) {
        return FlinkDbt.compile(settings.build(), invocation().build());
    }

    /** A log that prints every line and keeps it in {@code lines}; debug lines with -Dflink-dbt.test.debug. */
    public static BuildLog capturing(List<String> lines) {
        return capturing(lines, Boolean.getBoolean("flink-dbt.test.debug"));
    }

    /** A log that prints every line and keeps it in {@code lines}, debug lines too when {@code debug}. */
    public static BuildLog capturing(List<String> lines, boolean debug) {
        return new BuildLog() {
            @Override
            public void info(String message) {
                System.out.println(message);
                lines.add(message);
            }

            @Override
            public void warn(String message) {
                info(message);
            }

            @Override
            public void error(String message) {
                info(message);
            }

            @Override
            public void debug(String message) {
                if (debug) {
                    System.out.println("[debug] " + message);
                    lines.add(message);
                }
            }

            @Override
            public boolean isDebugEnabled() {
                return debug;
            }
        };
    }

    /** The test JVM's classpath, as the forked planner's. */
    public static List<Path> testClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .toList();
    }

    /**
     * Runs queries in a JVM that knows nothing but the home directory's catalog store: one such JVM
     * is kept for all the tests of this JVM (it opens the store anew for every call) and ends with it.
     */
    public static synchronized List<String> query(Path home, String... sql) throws IOException {
        if (queries == null || !queries.isAlive()) {
            List<String> command = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g",
                    "-cp",
                    System.getProperty("java.class.path"),
                    QueryMain.class.getName());
            queries = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            answers = new BufferedReader(new InputStreamReader(queries.getInputStream(), StandardCharsets.UTF_8));
            Process started = queries;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        }
        OutputStream requests = queries.getOutputStream();
        requests.write((home.resolve("catalog-store").toUri() + "\t" + String.join("\t", sql) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        requests.flush();
        List<String> rows = new ArrayList<>();
        for (String line = answers.readLine(); !"DONE".equals(line); line = answers.readLine()) {
            assertThat(line).as("the query JVM answered").isNotNull();
            assertThat(line).as(String.join("; ", sql)).doesNotStartWith("ERROR");
            rows.add(line);
        }
        return rows;
    }

    private static Process queries;
    private static BufferedReader answers;

    /**
     * Runs with keepRunning until the log (a synchronized list the request's log writes to) says
     * its streaming jobs run and {@code ready} holds (checked on what the run made, such as a new
     * Iceberg snapshot), then stops them with savepoints as Ctrl-C would.
     */
    public static RunOutcome runUntilStopped(
            Settings settings, Invocation invocation, List<String> log, int timeoutSeconds, Ready ready)
            throws Exception {
        RunControl control = new RunControl();
        Settings keepRunning = settings.toBuilder().keepRunning(true).build();
        CompletableFuture<RunOutcome> outcome =
                CompletableFuture.supplyAsync(() -> FlinkDbt.run(keepRunning, invocation.withControl(control)));
        long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
        while (!saysRunning(log) || !ready.now()) {
            assertThat(outcome.isDone())
                    .as("the run ended before it was stopped")
                    .isFalse();
            assertThat(System.currentTimeMillis()).as("ready in time").isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(control.stopAndWait(timeoutSeconds, TimeUnit.SECONDS))
                .as("stopped in time")
                .isTrue();
        return outcome.get(timeoutSeconds, TimeUnit.SECONDS);
    }

    /** What a run waits for before it is stopped. */
    @FunctionalInterface
    public interface Ready {
        boolean now() throws Exception;
    }

    /** Ready once the Iceberg table in {@code tableDirectory} has a commit it did not have now. */
    public static Ready newCommit(Path tableDirectory) throws IOException {
        int before = metadataVersion(tableDirectory);
        return () -> metadataVersion(tableDirectory) > Math.max(before, 1);
    }

    /** The newest {@code v<n>.metadata.json} of an Iceberg table; 0 when it has none yet. */
    public static int metadataVersion(Path tableDirectory) throws IOException {
        Path metadata = tableDirectory.resolve("metadata");
        if (!Files.isDirectory(metadata)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(metadata)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> name.matches("v\\d+\\.metadata\\.json"))
                    .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf('.'))))
                    .max()
                    .orElse(0);
        }
    }

    private static boolean saysRunning(List<String> log) {
        synchronized (log) { // a synchronized list locks on itself
            return log.stream().anyMatch(line -> line.contains("streaming job(s) running"));
        }
    }
}

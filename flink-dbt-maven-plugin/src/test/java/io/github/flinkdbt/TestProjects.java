package io.github.flinkdbt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;

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
                {{ config(materialized='streaming_table', unique_key='user_id') }}
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

    /** Loads a project in {@code dir}; problems are added to {@code problems}. */
    public static io.github.flinkdbt.project.Project load(Path dir, io.github.flinkdbt.project.Problems problems) {
        return io.github.flinkdbt.project.ProjectLoader.load(new io.github.flinkdbt.project.ProjectLoader.Request(dir,
                dir, "shop", "flink_dbt", null, Map.of(), Map.of(), "dev"), problems);
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

    public static BuildRequest request(Path dir) {
        return request(dir, "", List.of());
    }

    public static BuildRequest request(Path dir, String select, List<Path> classpath) {
        return builder(dir).select(select).classpath(classpath).build();
    }

    /** In-process, two planner threads, an empty environment, logging to stdout. */
    public static BuildRequest.Builder builder(Path dir) {
        return BuildRequest.builder(dir).defaultName("shop").environment(Map.of()).threads(2).printDag(true)
                .pluginVersion("test").log(BuildLog.to(System.out));
    }

    /** A log that prints every line and keeps it in {@code lines}; debug lines with -Dflink-dbt.test.debug. */
    public static BuildLog capturing(List<String> lines) {
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
                if (isDebugEnabled()) {
                    System.out.println("[debug] " + message);
                }
            }

            @Override
            public boolean isDebugEnabled() {
                return Boolean.getBoolean("flink-dbt.test.debug");
            }
        };
    }

    /** The test JVM's classpath, as the forked planner's. */
    public static List<Path> testClasspath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(Path::of).toList();
    }

    /** Runs queries in a new JVM that only knows the home directory's catalog store. */
    public static java.util.List<String> query(Path home, String... sql) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), io.github.flinkdbt.run.QueryMain.class.getName(),
                home.resolve("catalog-store").toUri().toString()));
        command.addAll(List.of(sql));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> rows = new ArrayList<>();
        List<String> all = new ArrayList<>();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                all.add(line);
                if (line.startsWith("ROW ")) {
                    rows.add(line);
                }
            }
        }
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join("\n", all)).isZero();
        return rows;
    }

    /**
     * Runs with keepRunning until the log (a synchronized list the request's log writes to) says
     * its streaming jobs run, lets them work 2 s, then stops them with savepoints as Ctrl-C would.
     */
    public static io.github.flinkdbt.run.RunOutcome runUntilStopped(RunRequest request, List<String> log,
            int timeoutSeconds) throws Exception {
        io.github.flinkdbt.run.RunControl control = new io.github.flinkdbt.run.RunControl();
        java.util.concurrent.CompletableFuture<io.github.flinkdbt.run.RunOutcome> outcome =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> FlinkDbt.run(request.keepingRunningUntil(control)));
        long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
        while (!outcome.isDone() && System.currentTimeMillis() < deadline && !saysRunning(log)) {
            Thread.sleep(200);
        }
        Thread.sleep(2_000);
        assertThat(control.stopAndWait(timeoutSeconds, TimeUnit.SECONDS)).as("stopped in time").isTrue();
        return outcome.get(timeoutSeconds, TimeUnit.SECONDS);
    }

    private static boolean saysRunning(List<String> log) {
        synchronized (log) { // a synchronized list locks on itself
            return log.stream().anyMatch(line -> line.contains("streaming job(s) running"));
        }
    }
}

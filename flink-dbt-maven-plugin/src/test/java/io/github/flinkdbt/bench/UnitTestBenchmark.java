package io.github.flinkdbt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.cluster.EmbeddedCluster;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.mojo.MavenHints;
import io.github.flinkdbt.testing.TestOutcome;
import io.github.flinkdbt.testing.TestResult;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The unit-test benchmark of site/benchmarks.md. For an N-model generated project with one dbt unit
 * test per model it measures, through the core API of {@code snapshot-test}:
 * <ol>
 *   <li>(shared) one test call running all N unit tests on one embedded cluster, the cluster's start
 *       and stop included;</li>
 *   <li>(fresh) N test calls, each selecting one model, each starting (and stopping) its own
 *       embedded cluster.</li>
 * </ol>
 * The project is compiled once up front, so both reuse the plan cache alike.
 * Run: {@code mvn -pl flink-dbt-maven-plugin -Pbench verify -Dbench.skipPlanning=true -Dbench.unitTests=50}
 */
public final class UnitTestBenchmark {

    private static final String SOURCES = """
            version: 2
            sources:
              - name: shop
                tables:
                  - name: events
                    config:
                      connector_properties:
                        connector: datagen
                        number-of-rows: '10'
                      watermark:
                        column: ts
                        strategy: ts - INTERVAL '5' SECOND
                    columns:
                      - name: user_id
                        data_type: BIGINT
                      - name: kind
                        data_type: STRING
                      - name: amount
                        data_type: DECIMAL(10, 2)
                      - name: ts
                        data_type: TIMESTAMP(3)
            """;

    /** A row of the {@code shop.events} fixture. */
    private record Event(long userId, String kind, BigDecimal amount, String ts) {}

    private UnitTestBenchmark() {}

    public static void main(String[] args) throws Exception {
        int tests = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Path work = Path.of(args.length > 1 ? args[1] : "target/bench-unit").toAbsolutePath();
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        deleteRecursively(work);
        Path project = write(work.resolve("project"), tests);
        Path home = work.resolve("home");
        Path reports = work.resolve("reports");
        Settings build = Settings.builder(project)
                .defaultName("bench")
                .pluginVersion("bench")
                .home(home)
                .reportsDirectory(reports)
                .build();
        System.out.printf(
                Locale.ROOT,
                "Unit-test benchmark: %d models with a unit test each, %d cores, Java %s, " + "median of %d runs%n",
                tests,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                runs);

        long start = System.nanoTime();
        FlinkDbt.compile(build, invocation());
        System.out.printf(Locale.ROOT, "compiled in %.1f s%n", seconds(System.nanoTime() - start));

        // the check (and warm-up) before anything is timed: every test passes
        start = System.nanoTime();
        TestOutcome check = shared(build, home, reports, tests);
        System.out.printf(
                Locale.ROOT,
                "check: all %d unit tests pass (shared, %.1f s)%n",
                tests,
                seconds(System.nanoTime() - start));
        describe(check);

        List<Long> shared = new ArrayList<>();
        List<Long> fresh = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            long[] nanos = new long[1];
            TestOutcome outcome = shared(build, home, reports, tests, run == 0, nanos);
            shared.add(nanos[0]);
            System.out.printf(Locale.ROOT, "  run %d shared: %.1f s%n", run + 1, seconds(shared.get(run)));
            describe(outcome);
            start = System.nanoTime();
            fresh(build, home, reports, tests);
            fresh.add(System.nanoTime() - start);
            System.out.printf(Locale.ROOT, "  run %d fresh:  %.1f s%n", run + 1, seconds(fresh.get(run)));
        }
        double s = seconds(median(shared));
        double f = seconds(median(fresh));
        System.out.printf(
                Locale.ROOT,
                "shared: %d unit tests in %.1f s (%.2f s/test)  (runs: %s)%n",
                tests,
                s,
                s / tests,
                list(shared));
        System.out.printf(
                Locale.ROOT,
                "fresh: %d unit tests in %.1f s (%.2f s/test)  (runs: %s)%n",
                tests,
                f,
                f / tests,
                list(fresh));
        System.out.printf(Locale.ROOT, "ratio shared/fresh: %.2f (target <= 0.2)%n", s / f);
    }

    /** One test call for all models on one cluster started (and stopped) for it. */
    private static TestOutcome shared(Settings build, Path home, Path reports, int tests) {
        return shared(build, home, reports, tests, false, new long[1]);
    }

    /**
     * One shared run; {@code nanos[0]} is its time from the cluster's start to its stop, less the time
     * taken to ask the cluster for {@code jobTimes}.
     */
    private static TestOutcome shared(
            Settings build, Path home, Path reports, int tests, boolean jobTimes, long[] nanos) {
        long start = System.nanoTime();
        try (EmbeddedCluster cluster = EmbeddedCluster.start(0, 2, Map.of(), MavenHints.get())) {
            TestOutcome outcome = FlinkDbt.test(
                    build.toBuilder().cluster(cluster.restAddress()).build(), invocation());
            requirePassed(outcome, tests, "shared");
            if (jobTimes) {
                long asked = System.nanoTime();
                jobTimes(cluster.restAddress(), outcome);
                start += System.nanoTime() - asked;
            }
            return outcome;
        } finally {
            nanos[0] = System.nanoTime() - start;
        }
    }

    /**
     * The cluster's view of the test jobs (its REST API): from submission to running, from running to
     * finished; the rest of a test's time is the client's (fixture tables, planning, job graph,
     * submission, fetching the results).
     */
    private static void jobTimes(URI cluster, TestOutcome outcome) {
        try {
            HttpClient http = HttpClient.newHttpClient();
            JsonNode overview = Json.read(get(http, cluster.resolve("/jobs/overview")));
            List<Long> scheduling = new ArrayList<>();
            List<Long> running = new ArrayList<>();
            List<Long> total = new ArrayList<>();
            for (JsonNode job : overview.path("jobs")) {
                JsonNode timestamps = Json.read(get(
                                http, cluster.resolve("/jobs/" + job.path("jid").asText())))
                        .path("timestamps");
                long init = timestamps.path("INITIALIZING").asLong();
                long run = timestamps.path("RUNNING").asLong();
                long end = timestamps.path("FINISHED").asLong();
                if (init > 0 && run > 0 && end > 0) {
                    scheduling.add(run - init);
                    running.add(end - run);
                    total.add(end - init);
                }
            }
            List<Long> tests =
                    outcome.results().stream().map(TestResult::millis).toList();
            System.out.printf(
                    Locale.ROOT,
                    "    cluster side, %d jobs: submitted to running median %d ms, running to "
                            + "finished median %d ms, in all median %d ms (sum %.1f s); a test in all median %d ms (sum %.1f s)%n",
                    total.size(),
                    median(scheduling),
                    median(running),
                    median(total),
                    total.stream().mapToLong(Long::longValue).sum() / 1000.0,
                    median(tests),
                    tests.stream().mapToLong(Long::longValue).sum() / 1000.0);
        } catch (Exception e) {
            System.out.println("    (no job times from the cluster: " + e + ")");
        }
    }

    private static String get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** One test call per model, each on a fresh embedded cluster the core starts and stops. */
    private static void fresh(Settings build, Path home, Path reports, int tests) {
        for (int i = 0; i < tests; i++) {
            TestOutcome outcome = FlinkDbt.test(build.withSelect(name(i)), invocation());
            requirePassed(outcome, 1, "fresh " + name(i));
        }
    }

    private static Invocation invocation() {
        return Invocation.builder(quietLog(), MavenHints.get())
                .environment(Map.of())
                .threads(2)
                .build();
    }

    private static void requirePassed(TestOutcome outcome, int expected, String what) {
        if (outcome.count(TestResult.PASS) != expected || outcome.results().size() != expected) {
            StringBuilder message = new StringBuilder(what + ": " + outcome.count(TestResult.PASS) + " of "
                    + outcome.results().size() + " tests passed, expected " + expected);
            outcome.results().stream()
                    .filter(r -> !r.status().equals(TestResult.PASS))
                    .forEach(r -> message.append("\n  ")
                            .append(r.status())
                            .append(' ')
                            .append(r.name())
                            .append(": ")
                            .append(r.message()));
            throw new IllegalStateException(message.toString());
        }
    }

    /** Where a shared run's time goes: the tests' own times by kind of model, and the rest. */
    private static void describe(TestOutcome outcome) {
        Map<String, List<Long>> byKind = new TreeMap<>();
        long sum = 0;
        for (TestResult result : outcome.results()) {
            int i = Integer.parseInt(result.model().substring(1));
            String kind = switch (i % 3) {
                case 0 -> "group aggregate (streaming)";
                case 1 -> "view (filter, projection)";
                default -> "tumble window (streaming)";
            };
            byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(result.millis());
            sum += result.millis();
        }
        System.out.printf(
                Locale.ROOT, "    tests %.1f s of the test call's %.1f s%n", sum / 1000.0, outcome.millis() / 1000.0);
        byKind.forEach((kind, millis) -> {
            List<Long> sorted = new ArrayList<>(millis);
            Collections.sort(sorted);
            System.out.printf(
                    Locale.ROOT,
                    "    %-28s %2d tests, median %.2f s, min %.2f s, max %.2f s%n",
                    kind,
                    sorted.size(),
                    sorted.get(sorted.size() / 2) / 1000.0,
                    sorted.get(0) / 1000.0,
                    sorted.get(sorted.size() - 1) / 1000.0);
        });
    }

    // ---- the generated project ----

    static String name(int i) {
        return String.format(Locale.ROOT, "m%03d", i);
    }

    /** Writes the sources, N models and their unit tests into {@code dir}. */
    static Path write(Path dir, int count) {
        TestProjects.write(dir, "src/main/sql/sources.yml", SOURCES);
        StringBuilder unitTests = new StringBuilder("version: 2\nunit_tests:\n");
        for (int i = 0; i < count; i++) {
            TestProjects.write(dir, "src/main/sql/" + name(i) + ".sql", sql(i));
            unitTests
                    .append("  - name: ")
                    .append(name(i))
                    .append("_unit\n")
                    .append("    model: ")
                    .append(name(i))
                    .append('\n')
                    .append("    given:\n      - input: source('shop', 'events')\n        rows:\n");
            for (Event e : events(i)) {
                unitTests
                        .append("          - {user_id: ")
                        .append(e.userId())
                        .append(", kind: ")
                        .append(e.kind())
                        .append(", amount: ")
                        .append(e.amount().toPlainString())
                        .append(", ts: '")
                        .append(e.ts())
                        .append("'}\n");
            }
            unitTests.append("    expect:\n      rows:\n");
            for (Map<String, String> row : expected(i)) {
                List<String> cells = new ArrayList<>();
                row.forEach((column, value) -> cells.add(column + ": " + value));
                unitTests.append("        - {").append(String.join(", ", cells)).append("}\n");
            }
        }
        TestProjects.write(dir, "src/main/sql/unit_tests.yml", unitTests.toString());
        return dir;
    }

    private static String sql(int i) {
        return switch (i % 3) {
            // an updating aggregate needs its key to be written to Iceberg
            case 0 ->
                "{{ config(materialized='streaming_table', unique_key='user_id') }}\n"
                        + "select user_id, count(*) as n, sum(amount) as total from {{ source('shop','events') }}\n"
                        + "where kind = 'k" + i + "'\ngroup by user_id\n";
            case 1 ->
                "select user_id, amount * " + i + " as scaled from {{ source('shop','events') }}\n"
                        + "where amount > 0\n";
            default ->
                "{{ config(materialized='streaming_table') }}\n"
                        + "select window_start, count(*) as n\n"
                        + "from table(tumble(table {{ source('shop','events') }}, descriptor(ts), interval '1' minute))\n"
                        + "group by window_start, window_end\n";
        };
    }

    /** The test's three input rows; the third is of another kind for odd i, and never has a positive amount. */
    private static List<Event> events(int i) {
        return List.of(
                new Event(1, "k" + i, new BigDecimal("2.50").add(BigDecimal.valueOf(i, 2)), "2026-01-01 10:00:01"),
                new Event(1, "k" + i, new BigDecimal("1.25"), "2026-01-01 10:00:30"),
                new Event(
                        2,
                        i % 2 == 0 ? "k" + i : "x" + i,
                        new BigDecimal(i % 2 == 0 ? "0" : "-1.5"),
                        "2026-01-01 10:01:10"));
    }

    /** The model's rows on {@link #events}, computed as its SQL does; values as YAML scalars. */
    private static List<Map<String, String>> expected(int i) {
        List<Event> events = events(i);
        List<Map<String, String>> rows = new ArrayList<>();
        switch (i % 3) {
            case 0 -> {
                Map<Long, List<Event>> groups = new TreeMap<>();
                events.stream()
                        .filter(e -> e.kind().equals("k" + i))
                        .forEach(e -> groups.computeIfAbsent(e.userId(), k -> new ArrayList<>())
                                .add(e));
                groups.forEach((user, group) -> rows.add(row(
                        "user_id",
                        String.valueOf(user),
                        "n",
                        String.valueOf(group.size()),
                        "total",
                        group.stream()
                                .map(Event::amount)
                                .reduce(BigDecimal.ZERO, BigDecimal::add)
                                .toPlainString())));
            }
            case 1 ->
                events.stream()
                        .filter(e -> e.amount().signum() > 0)
                        .forEach(e -> rows.add(row(
                                "user_id",
                                String.valueOf(e.userId()),
                                "scaled",
                                e.amount().multiply(BigDecimal.valueOf(i)).toPlainString())));
            default -> {
                Map<String, Integer> windows = new TreeMap<>();
                events.forEach(e -> windows.merge(e.ts().substring(0, 16) + ":00", 1, Integer::sum));
                windows.forEach((windowStart, n) ->
                        rows.add(row("window_start", "'" + windowStart + "'", "n", String.valueOf(n))));
            }
        }
        return rows;
    }

    private static Map<String, String> row(String... columnsAndValues) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int c = 0; c < columnsAndValues.length; c += 2) {
            row.put(columnsAndValues[c], columnsAndValues[c + 1]);
        }
        return row;
    }

    // ---- helpers ----

    /** Drops progress (info, debug); prints warnings and errors. */
    private static BuildLog quietLog() {
        return new BuildLog() {
            @Override
            public void info(String message) {}

            @Override
            public void warn(String message) {
                System.out.println("[WARNING] " + message);
            }

            @Override
            public void error(String message) {
                System.out.println("[ERROR] " + message);
            }

            @Override
            public void debug(String message) {}

            @Override
            public boolean isDebugEnabled() {
                return false;
            }
        };
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static String list(List<Long> nanos) {
        return String.join(
                ", ",
                nanos.stream()
                        .map(n -> String.format(Locale.ROOT, "%.1f", seconds(n)))
                        .toList());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

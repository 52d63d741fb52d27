package io.github.flinkdbt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.BuildSummary;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.mojo.MavenHints;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.GenericInMemoryCatalog;

/**
 * The planning benchmark of site/benchmarks.md. For an N-model generated project it measures, each
 * in a fresh JVM:
 * <ol>
 *   <li>(a) a full validate + compile (empty cache, all planner threads);</li>
 *   <li>(b) a no-op re-run (nothing changed);</li>
 *   <li>(c) the baseline: the bare Flink planner planning the same N statements one after another
 *       in one warm TableEnvironment (second pass measured).</li>
 * </ol>
 * Run: {@code mvn -pl flink-dbt-maven-plugin -Pbench verify -Dbench.models=500}
 */
public final class PlanningBenchmark {

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("compile")) {
            compile(Path.of(args[1]));
            return;
        }
        if (args.length >= 2 && args[0].equals("baseline")) {
            baseline(Path.of(args[1]));
            return;
        }
        int models = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        Path work = Path.of(args.length > 1 ? args[1] : "target/bench").toAbsolutePath();
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path project = work.resolve("project-" + models);
        deleteRecursively(project);
        ProjectGenerator.write(project, models);
        System.out.printf(
                Locale.ROOT,
                "Planning benchmark: %d models, %d cores, Java %s, median of %d runs%n",
                models,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                runs);
        List<Result> full = new ArrayList<>();
        List<Result> noop = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            deleteRecursively(project.resolve("target"));
            full.add(fork("compile", project, List.of()));
            noop.add(fork("compile", project, List.of()));
        }
        List<Result> base = new ArrayList<>();
        List<Result> sameFlags = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            base.add(fork("baseline", project, List.of()));
            sameFlags.add(fork("baseline", project, Invocation.defaultPlannerJvmArgs()));
        }
        long a = median(full);
        long b = median(noop);
        long c = median(base);
        long c1 = median(sameFlags);
        System.out.printf(
                Locale.ROOT,
                "(a)  validate + compile, cold JVM        : %6.1f s  (runs: %s)%n",
                a / 1000.0,
                seconds(full));
        System.out.printf(
                Locale.ROOT,
                "(b)  no-op re-run                        : %6.2f s  (runs: %s)%n",
                b / 1000.0,
                seconds(noop));
        System.out.printf(
                Locale.ROOT,
                "(c)  bare planner, warm, 1 thread        : %6.1f s  (%.0f ms a statement; runs: %s)%n",
                c / 1000.0,
                (double) c / models,
                seconds(base));
        System.out.printf(
                Locale.ROOT,
                "(c') same, with the planner JVM's options %s: %6.1f s  (runs: %s)%n",
                Invocation.defaultPlannerJvmArgs(),
                c1 / 1000.0,
                seconds(sameFlags));
        System.out.printf(
                Locale.ROOT,
                "(a)/(c) = %.2f, (a)/(c') = %.2f  (target <= 1.0);  (b)/(a) = %.3f  (target <= 0.05)%n",
                (double) a / c,
                (double) a / c1,
                (double) b / a);
    }

    private record Result(long millis, long processMillis) {}

    private static long median(List<Result> results) {
        List<Long> millis = new ArrayList<>(results.stream().map(Result::millis).toList());
        Collections.sort(millis);
        return millis.get(millis.size() / 2);
    }

    private static String seconds(List<Result> results) {
        return String.join(
                ", ",
                results.stream()
                        .map(r -> String.format(Locale.ROOT, "%.1f", r.millis / 1000.0))
                        .toList());
    }

    private static Result fork(String mode, Path project, List<String> jvmArgs)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx3g"));
        command.addAll(jvmArgs.isEmpty() ? List.of("-XX:+UseParallelGC") : jvmArgs);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                PlanningBenchmark.class.getName(),
                mode,
                project.toString()));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        long millis = -1;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("millis=")) {
                    millis = Long.parseLong(line.substring("millis=".length()));
                } else {
                    System.out.println("  [" + mode + "] " + line);
                }
            }
        }
        if (process.waitFor() != 0 || millis < 0) {
            throw new IllegalStateException(mode + " failed (exit " + process.exitValue() + ")");
        }
        return new Result(millis, (System.nanoTime() - start) / 1_000_000);
    }

    /** (a) and (b): the same entry point the compile-models goal calls. */
    private static void compile(Path project) {
        // as compile-models runs it: in Maven's JVM, planning (if needed) in a forked JVM
        Settings settings = Settings.builder(project)
                .defaultName("bench")
                .pluginVersion("bench")
                .build();
        Invocation invocation = Invocation.builder(BuildLog.silent(), MavenHints.get())
                .environment(Map.of())
                .fork(true)
                .pluginClasspath(TestProjects.testClasspath())
                .build();
        long start = System.nanoTime();
        BuildSummary summary = FlinkDbt.compile(settings, invocation);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("planned " + summary.planned().size() + ", reused "
                + summary.reused().size());
        System.out.println("millis=" + millis);
    }

    /**
     * (c): one TableEnvironment, catalog prepared up front from the compile output (sources, target
     * tables with the same Iceberg connector), then each model's statement in build order: CREATE
     * VIEW for views, COMPILE PLAN for streaming tables. The second pass is measured.
     */
    private static void baseline(Path project) throws IOException {
        Path output = project.resolve("target/flink-dbt");
        JsonNode manifest = Json.read(Files.readString(output.resolve("manifest.json")));
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("table.plan.compile.catalog-objects", "IDENTIFIER");
        env.registerCatalog("flink_dbt", new GenericInMemoryCatalog("flink_dbt", "bench"));
        env.executeSql("CREATE DATABASE IF NOT EXISTS `flink_dbt`.`gen`");
        for (JsonNode source : manifest.path("sources")) {
            StringBuilder ddl = new StringBuilder("CREATE TABLE "
                    + identifier(source.path("meta").path("flink_dbt").path("relation")) + " (");
            source.path("columns")
                    .forEach(c -> ddl.append('`')
                            .append(c.path("name").asText())
                            .append("` ")
                            .append(c.path("data_type").asText())
                            .append(", "));
            JsonNode watermark = source.path("meta").path("flink_dbt").path("watermark");
            ddl.append("WATERMARK FOR `")
                    .append(watermark.path("column").asText())
                    .append("` AS ")
                    .append(watermark.path("strategy").asText())
                    .append(") WITH ('connector' = 'datagen')");
            env.executeSql(ddl.toString());
        }
        Map<String, JsonNode> models = new TreeMap<>();
        manifest.path("nodes").fields().forEachRemaining(e -> {
            if (e.getValue().path("resource_type").asText().equals("model")) {
                models.put(e.getValue().path("name").asText(), e.getValue());
            }
        });
        for (JsonNode model : models.values()) {
            if (model.path("config").path("materialized").asText().equals("streaming_table")) {
                StringBuilder ddl = new StringBuilder("CREATE TABLE "
                        + identifier(model.path("meta").path("flink_dbt").path("relation")) + " (");
                List<String> keyColumns = new ArrayList<>();
                JsonNode configuredKey = model.path("config").path("unique_key");
                if (configuredKey.isTextual()) {
                    keyColumns.add(configuredKey.asText());
                } else {
                    configuredKey.forEach(k -> keyColumns.add(k.asText()));
                }
                TreeMap<Integer, String> columns = new TreeMap<>();
                model.path("columns").forEach(c -> {
                    String type = c.path("data_type").asText().replace(" *ROWTIME*", "");
                    if (keyColumns.contains(c.path("name").asText()) && !type.endsWith("NOT NULL")) {
                        type += " NOT NULL";
                    }
                    columns.put(c.path("index").asInt(), "`" + c.path("name").asText() + "` " + type);
                });
                ddl.append(String.join(", ", columns.values()));
                List<String> key = new ArrayList<>();
                keyColumns.forEach(k -> key.add("`" + k + "`"));
                if (!key.isEmpty()) {
                    ddl.append(", PRIMARY KEY (").append(String.join(", ", key)).append(") NOT ENFORCED");
                }
                ddl.append(") WITH ('connector' = 'iceberg', 'catalog-name' = 'flink_dbt', 'catalog-impl' = "
                        + "'io.github.flinkdbt.planner.IcebergCompileCatalog', 'format-version' = '2')");
                env.executeSql(ddl.toString());
            }
        }
        List<String> order = buildOrder(manifest, models);
        for (int pass = 1; pass <= 2; pass++) {
            long start = System.nanoTime();
            for (String name : order) {
                JsonNode model = models.get(name);
                String sql = Files.readString(output.resolve("compiled/" + name + ".sql"));
                String target = identifier(model.path("meta").path("flink_dbt").path("relation"));
                if (model.path("config").path("materialized").asText().equals("view")) {
                    env.executeSql("DROP TEMPORARY VIEW IF EXISTS " + target);
                    env.executeSql("CREATE TEMPORARY VIEW " + target + " AS " + sql);
                } else {
                    env.compilePlanSql("INSERT INTO " + target + " " + sql);
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("pass " + pass + ": " + millis + " ms");
            if (pass == 2) {
                System.out.println("millis=" + millis);
            }
        }
    }

    private static List<String> buildOrder(JsonNode manifest, Map<String, JsonNode> models) {
        List<String> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        while (order.size() < models.size()) {
            for (String name : models.keySet()) {
                if (done.contains(name)) {
                    continue;
                }
                boolean ready = true;
                for (JsonNode parent : manifest.path("parent_map").path("model.bench." + name)) {
                    String p = parent.asText();
                    if (p.startsWith("model.") && !done.contains(p.substring("model.bench.".length()))) {
                        ready = false;
                    }
                }
                if (ready) {
                    done.add(name);
                    order.add(name);
                }
            }
        }
        return order;
    }

    private static String identifier(JsonNode relation) {
        return "`" + relation.path("catalog").asText() + "`.`"
                + relation.path("database").asText() + "`.`"
                + relation.path("name").asText() + "`";
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

package io.github.flinkdbt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.flinkdbt.project.Problem;
import io.github.flinkdbt.project.ProblemsException;
import io.github.flinkdbt.project.SourcePosition;
import io.github.flinkdbt.run.ModelRun;
import io.github.flinkdbt.run.RunOutcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs a goal in a separate JVM: Flink's planner with JIT and GC settings that suit a short,
 * parallel planning run, and none of its classes, threads or statics left in Maven's (or the
 * IDE's) JVM. The request goes to the child on stdin, which stays open while the child runs (the
 * child stops when Maven goes away); the child answers with one JSON event per line on stdout.
 */
final class Fork {

    private Fork() {}

    static BuildSummary run(Build.Goal goal, BuildRequest request) {
        request.log().debug("flink-dbt: planning in a forked JVM: " + String.join(" ", request.jvmArgs()));
        Exchange exchange = exchange(goal.name(), encode(request), request, request.jvmArgs(), false);
        return outcome(exchange.outcome(), exchange.exit(), exchange.stderr());
    }

    /**
     * Runs the project in a forked JVM. Ctrl-C reaches it too (same process group) and it stops
     * its streaming jobs with savepoints before it exits; when Maven itself is stopped, the child
     * is asked to stop (SIGTERM) and given time to do the same.
     */
    static RunOutcome run(RunRequest request) {
        ObjectNode json = encode(request.build());
        json.put("home", request.home().toString());
        json.put("restPort", request.restPort());
        json.put("fullRefresh", request.fullRefresh());
        json.put("keepRunning", request.keepRunning());
        json.put("tests", request.tests());
        json.put("cluster", request.cluster() == null ? null : request.cluster().toString());
        ArrayNode show = json.putArray("show");
        request.show().forEach(show::add);
        List<String> jvmArgs = new ArrayList<>(RunRequest.JAVA_MODULE_OPTIONS);
        jvmArgs.addAll(request.jvmArgs());
        Exchange exchange = exchange("RUN", json, request.build(), jvmArgs, true);
        JsonNode outcome = exchange.outcome();
        if (outcome != null && outcome.path("type").asText().equals("run")) {
            List<ModelRun> models = new ArrayList<>();
            for (JsonNode m : outcome.path("models")) {
                models.add(Json.MAPPER.convertValue(m, ModelRun.class));
            }
            List<String> testFailures = new ArrayList<>();
            outcome.path("testFailures").forEach(n -> testFailures.add(n.asText()));
            return new RunOutcome(outcome.path("project").asText(), models, testFailures,
                    outcome.path("millis").asLong());
        }
        outcome(outcome, exchange.exit(), exchange.stderr());
        throw new FlinkDbtException("The run JVM gave no result.");
    }

    /** Runs the tests in a forked JVM (Flink needs its module options); failures come back as the error. */
    static io.github.flinkdbt.testing.TestOutcome test(TestRequest request) {
        ObjectNode json = encode(request.build());
        json.put("deployed", request.deployed());
        json.put("asOf", request.asOf());
        json.put("home", request.home().toString());
        json.put("reports", request.reportsDirectory().toString());
        json.put("cluster", request.cluster() == null ? null : request.cluster().toString());
        List<String> jvmArgs = new ArrayList<>(RunRequest.JAVA_MODULE_OPTIONS);
        jvmArgs.addAll(request.jvmArgs());
        Exchange exchange = exchange("TEST", json, request.build(), jvmArgs, false);
        JsonNode outcome = exchange.outcome();
        if (outcome != null && outcome.path("type").asText().equals("test")) {
            List<io.github.flinkdbt.testing.TestResult> results = new ArrayList<>();
            for (JsonNode r : outcome.path("results")) {
                results.add(Json.MAPPER.convertValue(r, io.github.flinkdbt.testing.TestResult.class));
            }
            return new io.github.flinkdbt.testing.TestOutcome(outcome.path("project").asText(),
                    outcome.path("against").asText(), results, outcome.path("millis").asLong());
        }
        outcome(outcome, exchange.exit(), exchange.stderr());
        throw new FlinkDbtException("The test JVM gave no result.");
    }

    static TestRequest decodeTest(JsonNode json, BuildLog log) {
        return new TestRequest(decode(json, log), json.path("deployed").asBoolean(),
                json.hasNonNull("asOf") ? json.path("asOf").asText() : null, Path.of(json.path("home").asText()),
                Path.of(json.path("reports").asText()), List.of(),
                json.hasNonNull("cluster") ? java.net.URI.create(json.path("cluster").asText()) : null);
    }

    static RunRequest decodeRun(JsonNode json, BuildLog log, io.github.flinkdbt.run.RunControl control) {
        List<String> show = new ArrayList<>();
        json.path("show").forEach(n -> show.add(n.asText()));
        return new RunRequest(decode(json, log), Path.of(json.path("home").asText()), json.path("restPort").asInt(),
                json.path("fullRefresh").asBoolean(), json.path("keepRunning").asBoolean(), json.path("tests").asBoolean(),
                show, List.of(), control,
                json.hasNonNull("cluster") ? java.net.URI.create(json.path("cluster").asText()) : null);
    }

    private record Exchange(JsonNode outcome, int exit, Deque<String> stderr) {}

    private static Exchange exchange(String goal, ObjectNode json, BuildRequest request, List<String> jvmArgs,
            boolean graceful) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        // JVM messages on stderr: stdout carries the events
        command.add("-Xlog:disable");
        command.add("-Xlog:all=warning:stderr");
        command.add("-cp");
        command.add(request.pluginClasspath().stream().map(p -> p.toAbsolutePath().toString())
                .collect(Collectors.joining(System.getProperty("path.separator"))));
        command.add(ForkMain.class.getName());
        command.add(goal);
        ProcessBuilder builder = new ProcessBuilder(command).directory(request.basedir().toFile());
        builder.environment().clear();
        builder.environment().putAll(request.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new FlinkDbtException("Cannot start a JVM for flink-dbt: " + e.getMessage()
                    + "\nRun with -Dflink-dbt.fork=false to work inside Maven's JVM.", e);
        }
        Thread reaper = new Thread(() -> {
            if (graceful) {
                // SIGTERM without closing our ends of its pipes: its last words still reach the log
                process.toHandle().destroy();
                try {
                    process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            process.destroyForcibly();
        }, "flink-dbt-fork-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        Deque<String> stderr = new ArrayDeque<>();
        Thread errors = new Thread(() -> drain(process, stderr, request.log()), "flink-dbt-fork-stderr");
        errors.setDaemon(true);
        errors.start();
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.write((Json.MAPPER.writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            JsonNode outcome = null;
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    JsonNode event = parse(line);
                    if (event == null) {
                        request.log().debug(line);
                    } else if (event.path("type").asText().equals("log")) {
                        log(request.log(), event.path("level").asText(), event.path("message").asText());
                    } else {
                        outcome = event;
                    }
                }
            }
            stdin.close();
            int exit = process.waitFor();
            errors.join(2000);
            return new Exchange(outcome, exit, stderr);
        } catch (IOException e) {
            throw new FlinkDbtException("Lost the forked JVM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkDbtException("Interrupted.", e);
        } finally {
            process.destroyForcibly();
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    private static BuildSummary outcome(JsonNode outcome, int exit, Deque<String> stderr) {
        if (outcome == null) {
            String tail;
            synchronized (stderr) {
                tail = String.join("\n", stderr);
            }
            throw new FlinkDbtException("The planner JVM stopped (exit code " + exit + ") without a result."
                    + (tail.isBlank() ? "" : "\n" + tail)
                    + "\nIf it ran out of memory, give it more: -Dflink-dbt.jvmArgs=-Xmx4g");
        }
        switch (outcome.path("type").asText()) {
            case "summary":
                List<String> planned = new ArrayList<>();
                outcome.path("planned").forEach(n -> planned.add(n.asText()));
                List<String> reused = new ArrayList<>();
                outcome.path("reused").forEach(n -> reused.add(n.asText()));
                return new BuildSummary(outcome.path("project").asText(), outcome.path("models").asInt(),
                        new LinkedHashSet<>(planned), new LinkedHashSet<>(reused), outcome.path("outputChanged").asBoolean(),
                        outcome.path("millis").asLong());
            case "problems":
                List<Problem> problems = new ArrayList<>();
                for (JsonNode p : outcome.path("problems")) {
                    problems.add(Problem.at(new SourcePosition(p.path("file").asText(), p.path("line").asInt(),
                            p.path("column").asInt()), p.path("message").asText(),
                            p.path("hint").isNull() || p.path("hint").isMissingNode() ? null : p.path("hint").asText()));
                }
                throw new ProblemsException(problems);
            default:
                throw new FlinkDbtException(outcome.path("message").asText());
        }
    }

    private static void drain(Process process, Deque<String> tail, BuildLog log) {
        try (BufferedReader err = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                log.debug("[planner] " + line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 40) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            log.debug("[planner] " + e.getMessage());
        }
    }

    private static JsonNode parse(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            return Json.read(line);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void log(BuildLog log, String level, String message) {
        switch (level) {
            case "warn" -> log.warn(message);
            case "error" -> log.error(message);
            case "debug" -> log.debug(message);
            default -> log.info(message);
        }
    }

    static ObjectNode encode(BuildRequest request) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("basedir", request.basedir().toString());
        json.put("projectDir", request.projectDir().toString());
        json.put("defaultName", request.defaultName());
        json.put("outputDirectory", request.outputDirectory().toString());
        json.put("cacheDirectory", request.cacheDirectory().toString());
        json.put("catalog", request.catalog());
        json.put("database", request.database());
        json.putPOJO("vars", request.vars());
        json.put("targetName", request.targetName());
        json.put("select", request.select());
        json.put("exclude", request.exclude());
        json.putPOJO("flinkConfiguration", request.flinkConfiguration());
        ArrayNode classpath = json.putArray("classpath");
        request.classpath().forEach(p -> classpath.add(p.toString()));
        json.put("useCache", request.useCache());
        json.put("threads", request.threads());
        json.put("printDag", request.printDag());
        json.put("baseline", request.baseline() == null ? null : request.baseline().toString());
        json.put("pluginVersion", request.pluginVersion());
        json.put("debug", request.log().isDebugEnabled());
        return json;
    }

    static BuildRequest decode(JsonNode json, BuildLog log) {
        Map<String, Object> vars = Json.MAPPER.convertValue(json.path("vars"), Map.class);
        Map<String, String> configuration = new HashMap<>();
        json.path("flinkConfiguration").fields().forEachRemaining(e -> configuration.put(e.getKey(), e.getValue().asText()));
        List<Path> classpath = new ArrayList<>();
        json.path("classpath").forEach(n -> classpath.add(Path.of(n.asText())));
        return BuildRequest.builder(Path.of(json.path("basedir").asText()))
                .projectDir(Path.of(json.path("projectDir").asText()))
                .defaultName(json.path("defaultName").asText())
                .outputDirectory(Path.of(json.path("outputDirectory").asText()))
                .cacheDirectory(Path.of(json.path("cacheDirectory").asText()))
                .catalog(json.path("catalog").asText())
                .database(json.path("database").isNull() ? null : json.path("database").asText())
                .vars(vars == null ? Map.of() : vars)
                .environment(System.getenv())
                .targetName(json.path("targetName").asText())
                .select(json.path("select").asText())
                .exclude(json.path("exclude").asText())
                .flinkConfiguration(configuration)
                .classpath(classpath)
                .useCache(json.path("useCache").asBoolean())
                .threads(json.path("threads").asInt())
                .printDag(json.path("printDag").asBoolean())
                .baseline(json.path("baseline").isTextual() ? Path.of(json.path("baseline").asText()) : null)
                .pluginVersion(json.path("pluginVersion").asText())
                .fork(false)
                .log(log)
                .build();
    }
}

package io.github.flinkdbt.build.fork;

import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.cluster.ClusterClasspath;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.common.JvmOptions;
import io.github.flinkdbt.common.ProblemsException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a goal in a separate JVM: Flink's planner with JIT and GC settings that suit a short,
 * parallel planning run, and none of its classes, threads or statics left in Maven's (or the
 * IDE's) JVM. The command goes to the child on stdin, which stays open while the child runs (the
 * child stops when the parent goes away); the child answers with one {@link ForkEvent} per line on
 * stdout.
 */
public final class ForkedJvm {

    /** The JVMs a build forks, each sized by an option of its own. */
    public enum Kind {
        PLANNER("planner", Option.PLANNER_JVM_ARGS),
        RUN("run", Option.RUN_JVM_ARGS),
        TEST("test", Option.TEST_JVM_ARGS);

        private final String label;
        private final Option option;

        Kind(String label, Option option) {
            this.label = label;
            this.option = option;
        }

        List<String> jvmArgs(Invocation invocation) {
            List<String> args = new ArrayList<>();
            switch (this) {
                case PLANNER -> args.addAll(invocation.plannerJvmArgs());
                case RUN -> {
                    args.addAll(JvmOptions.FLINK_MODULE_OPTIONS);
                    args.addAll(invocation.runJvmArgs());
                }
                case TEST -> {
                    args.addAll(JvmOptions.FLINK_MODULE_OPTIONS);
                    args.addAll(invocation.testJvmArgs());
                }
            }
            return args;
        }

        /** Whether it holds work worth saving when stopped: it gets a SIGTERM and time, not a kill. */
        boolean stopsGracefully() {
            return this == RUN;
        }
    }

    private static final int STDERR_LINES_KEPT = 40;

    private ForkedJvm() {}

    /**
     * Runs {@code command} in a new JVM whose main class is {@code mainClass} and returns its result;
     * throws what it reported (problems, a failure) or, when it died, what it left on stderr.
     */
    public static ForkEvent call(ForkCommand command, Invocation invocation, String mainClass) {
        Kind kind = command.kind();
        List<String> jvmArgs = kind.jvmArgs(invocation);
        invocation.log().debug("flink-dbt: " + kind.label + " JVM: " + String.join(" ", jvmArgs));
        List<String> commandLine = new ArrayList<>();
        commandLine.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        commandLine.addAll(jvmArgs);
        // JVM messages on stderr: stdout carries the events
        commandLine.add("-Xlog:disable");
        commandLine.add("-Xlog:all=warning:stderr");
        commandLine.add("-cp");
        commandLine.add(ClusterClasspath.withoutClusterLogging(invocation.pluginClasspath()).stream()
                .map(p -> p.toAbsolutePath().toString())
                .collect(Collectors.joining(System.getProperty("path.separator"))));
        commandLine.add(mainClass);
        ProcessBuilder builder = new ProcessBuilder(commandLine)
                .directory(command.settings().compile().basedir().toFile());
        builder.environment().clear();
        builder.environment().putAll(invocation.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new FlinkDbtException(
                    "Cannot start the " + kind.label + " JVM: " + e.getMessage()
                            + "\nRun with " + invocation.hints().set(Option.FORK, "false")
                            + " to work inside the build's JVM.",
                    e);
        }
        Thread reaper = new Thread(() -> stop(process, kind), "flink-dbt-fork-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        Deque<String> stderr = new ArrayDeque<>();
        Thread errors = new Thread(() -> drain(process, stderr, invocation.log(), kind), "flink-dbt-fork-stderr");
        errors.setDaemon(true);
        errors.start();
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.write((Json.line(command) + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            ForkEvent result = null;
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    ForkEvent event = parse(line);
                    if (event == null) {
                        invocation.log().debug(line);
                    } else if (event instanceof ForkEvent.Log log) {
                        log(invocation.log(), log);
                    } else {
                        result = event;
                    }
                }
            }
            stdin.close();
            int exit = process.waitFor();
            errors.join(2000);
            return result(result, kind, exit, stderr, invocation);
        } catch (IOException e) {
            throw new FlinkDbtException("Lost the " + kind.label + " JVM: " + e.getMessage(), e);
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

    /**
     * The parent JVM is going away (Ctrl-C, SIGTERM, an IDE's stop button): a run is asked to stop
     * (SIGTERM, which it answers by saving its jobs' state) and given time; anything else ends now.
     * Our ends of its pipes stay open, so its last words still reach the log.
     */
    private static void stop(Process process, Kind kind) {
        if (kind.stopsGracefully()) {
            process.toHandle().destroy();
            try {
                process.waitFor(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process.destroyForcibly();
    }

    private static ForkEvent result(
            ForkEvent result, Kind kind, int exit, Deque<String> stderr, Invocation invocation) {
        if (result instanceof ForkEvent.Invalid invalid) {
            throw new ProblemsException(invalid.problems());
        }
        if (result instanceof ForkEvent.Failed failed) {
            throw new FlinkDbtException(failed.message());
        }
        if (result != null) {
            return result;
        }
        String tail;
        synchronized (stderr) {
            tail = String.join("\n", stderr);
        }
        throw new FlinkDbtException("The " + kind.label + " JVM stopped (exit code " + exit + ") without a result."
                + (tail.isBlank() ? "" : "\n" + tail)
                + "\nIf it ran out of memory, give it more: "
                + invocation.hints().set(kind.option, "-Xmx4g"));
    }

    private static void drain(Process process, Deque<String> tail, BuildLog log, Kind kind) {
        try (BufferedReader err =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                log.debug("[" + kind.label + "] " + line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > STDERR_LINES_KEPT) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            log.debug("[" + kind.label + "] " + e.getMessage());
        }
    }

    private static ForkEvent parse(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            return Json.fromLine(line, ForkEvent.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void log(BuildLog log, ForkEvent.Log event) {
        switch (event.level()) {
            case WARN -> log.warn(event.message());
            case ERROR -> log.error(event.message());
            case DEBUG -> log.debug(event.message());
            default -> log.info(event.message());
        }
    }
}

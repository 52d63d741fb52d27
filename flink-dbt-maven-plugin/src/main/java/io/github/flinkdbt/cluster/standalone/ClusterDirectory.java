package io.github.flinkdbt.cluster.standalone;

import io.github.flinkdbt.common.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where a standalone cluster keeps its files: {@code conf/} (Flink's {@code config.yaml} and the
 * log4j configuration), {@code log/} (one log and one {@code .out} per process, which the web UI
 * lists), {@code run/} (a pid file per process) and {@code tmp/} (each process's
 * {@code io.tmp.dirs}).
 */
record ClusterDirectory(Path root) {

    static final String JOB_MANAGER = "jobmanager";

    Path conf() {
        return root.resolve("conf");
    }

    Path log() {
        return root.resolve("log");
    }

    Path run() {
        return root.resolve("run");
    }

    Path logFile(String process) {
        return log().resolve(process + ".log");
    }

    Path outFile(String process) {
        return log().resolve(process + ".out");
    }

    Path tmp(String process) {
        return root.resolve("tmp").resolve(process);
    }

    Path pidFile(String process) {
        return run().resolve(process + ".pid");
    }

    static String taskManager(int number) {
        return "taskmanager-" + number;
    }

    /** Writes {@code config.yaml} (flat keys, sorted) and the processes' log4j configuration. */
    void writeConfiguration(Map<String, String> options) throws IOException {
        Files.createDirectories(conf());
        Files.createDirectories(log());
        Files.createDirectories(run());
        StringBuilder yaml = new StringBuilder("# Written by flink-dbt start-cluster; rewritten at every start.\n");
        new TreeMap<>(options)
                .forEach((key, value) ->
                        yaml.append(key).append(": ").append(yamlScalar(value)).append('\n'));
        AtomicFiles.write(conf().resolve("config.yaml"), yaml.toString());
        AtomicFiles.write(conf().resolve("log4j.properties"), LOG4J);
    }

    /** The processes whose pid files are there: the JobManager first, then the TaskManagers by number. */
    List<String> recordedProcesses() throws IOException {
        List<String> processes = new ArrayList<>();
        if (!Files.isDirectory(run())) {
            return processes;
        }
        try (Stream<Path> files = Files.list(run())) {
            files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".pid"))
                    .map(name -> name.substring(0, name.length() - ".pid".length()))
                    .sorted((a, b) -> a.equals(JOB_MANAGER) ? -1 : b.equals(JOB_MANAGER) ? 1 : number(a) - number(b))
                    .forEach(processes::add);
        }
        return processes;
    }

    /** The pid file of {@code process}: its pid and when it started (so a reused pid is not taken for it). */
    Optional<PidRecord> pid(String process) throws IOException {
        Path file = pidFile(process);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String[] parts = Files.readString(file).trim().split("\\s+");
        try {
            return Optional.of(new PidRecord(process, Long.parseLong(parts[0]), parts.length > 1 ? parts[1] : ""));
        } catch (NumberFormatException e) {
            return Optional.of(new PidRecord(process, -1, ""));
        }
    }

    void writePid(PidRecord pid) throws IOException {
        AtomicFiles.write(pidFile(pid.process()), pid.pid() + " " + pid.started() + "\n");
    }

    void deletePid(String process) throws IOException {
        Files.deleteIfExists(pidFile(process));
    }

    /** The last {@code count} lines of a process's log and console output. */
    List<String> lastLines(String process, int count) {
        List<String> lines = new ArrayList<>();
        for (Path file : List.of(logFile(process), outFile(process))) {
            try {
                if (Files.exists(file)) {
                    List<String> all = Files.readAllLines(file);
                    lines.addAll(all.subList(Math.max(0, all.size() - count), all.size()));
                }
            } catch (IOException e) {
                lines.add("(cannot read " + file + ": " + e.getMessage() + ")");
            }
        }
        return lines;
    }

    private static int number(String process) {
        try {
            return Integer.parseInt(process.substring(process.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static String yamlScalar(String value) {
        return value.matches("[A-Za-z0-9_./:;,=+ -]*") && !value.isEmpty() && !value.startsWith(" ")
                ? value
                : "'" + value.replace("'", "''") + "'";
    }

    /** Flink's own default: a rolling file per process, where {@code log.file} says. */
    private static final String LOG4J = """
            # Written by flink-dbt start-cluster (Flink's default log configuration)
            monitorInterval = 30
            rootLogger.level = INFO
            rootLogger.appenderRef.file.ref = MainAppender
            logger.pekko.name = org.apache.pekko
            logger.pekko.level = INFO
            logger.kafka.name = org.apache.kafka
            logger.kafka.level = INFO
            logger.hadoop.name = org.apache.hadoop
            logger.hadoop.level = WARN
            logger.zookeeper.name = org.apache.zookeeper
            logger.zookeeper.level = INFO
            logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
            logger.netty.level = OFF
            appender.main.name = MainAppender
            appender.main.type = RollingFile
            appender.main.append = true
            appender.main.fileName = ${sys:log.file}
            appender.main.filePattern = ${sys:log.file}.%i
            appender.main.layout.type = PatternLayout
            appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
            appender.main.policies.type = Policies
            appender.main.policies.size.type = SizeBasedTriggeringPolicy
            appender.main.policies.size.size = 100MB
            appender.main.policies.startup.type = OnStartupTriggeringPolicy
            appender.main.strategy.type = DefaultRolloverStrategy
            appender.main.strategy.max = 10
            """;

    /** A process as its pid file records it. */
    record PidRecord(String process, long pid, String started) {}
}

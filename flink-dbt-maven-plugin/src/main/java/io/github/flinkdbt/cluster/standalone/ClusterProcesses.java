package io.github.flinkdbt.cluster.standalone;

import io.github.flinkdbt.cluster.standalone.ClusterDirectory.PidRecord;
import io.github.flinkdbt.common.JvmOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/** Starts a cluster's processes in the background and finds, stops or kills them by their pid files. */
final class ClusterProcesses {

    static final String JOB_MANAGER_CLASS = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TASK_MANAGER_CLASS = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

    /** What Flink's distribution adds beyond the module openings every Flink JVM needs. */
    private static final List<String> FLINK_EXPORTS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED");

    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private ClusterProcesses() {}

    /**
     * Starts {@code process} in a session of its own (Ctrl-C in the terminal that started it does not
     * reach it), its console output in its {@code .out} file, and records its pid.
     */
    static PidRecord launch(
            ClusterDirectory directory,
            String process,
            String mainClass,
            List<String> memoryJvmArgs,
            List<String> arguments,
            List<Path> classpath)
            throws IOException {
        if (!Files.exists(directory.tmp(process))) {
            // what is in the way is the process's to report, in its log
            Files.createDirectories(directory.tmp(process));
        }
        List<String> command = new ArrayList<>();
        SETSID.stream().filter(Files::isExecutable).findFirst().ifPresent(setsid -> command.add(setsid.toString()));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(memoryJvmArgs);
        command.add("-XX:+IgnoreUnrecognizedVMOptions");
        command.addAll(JvmOptions.FLINK_MODULE_OPTIONS);
        command.addAll(FLINK_EXPORTS);
        command.add("-Dlog.file=" + directory.logFile(process).toAbsolutePath());
        command.add("-Dlog4j.configurationFile=file:"
                + directory.conf().resolve("log4j.properties").toAbsolutePath());
        command.add("-cp");
        command.add(classpath.stream()
                .map(jar -> jar.toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator)));
        command.add(mainClass);
        command.add("--configDir");
        command.add(directory.conf().toAbsolutePath().toString());
        command.add("-Dio.tmp.dirs=" + directory.tmp(process).toAbsolutePath());
        command.addAll(arguments);
        Process started = new ProcessBuilder(command)
                .directory(directory.root().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        directory.outFile(process).toFile()))
                .start();
        ProcessHandle handle = started.toHandle();
        PidRecord pid = new PidRecord(process, handle.pid(), startInstant(handle));
        directory.writePid(pid);
        return pid;
    }

    /** The process a pid file names, if it still runs (and is the one that was started, not a reused pid). */
    static Optional<ProcessHandle> alive(PidRecord pid) {
        return ProcessHandle.of(pid.pid())
                .filter(ProcessHandle::isAlive)
                .filter(handle -> pid.started().isEmpty() || pid.started().equals(startInstant(handle)));
    }

    /** Asks every process to stop (SIGTERM), waits up to {@code timeout}, then kills what is left; true when none had to be killed. */
    static boolean stop(List<ProcessHandle> processes, Duration timeout) {
        processes.forEach(ProcessHandle::destroy);
        Instant deadline = Instant.now().plus(timeout);
        boolean graceful = true;
        for (ProcessHandle process : processes) {
            if (!waitFor(process, Duration.between(Instant.now(), deadline))) {
                graceful = false;
                process.destroyForcibly();
                waitFor(process, Duration.ofSeconds(10));
            }
        }
        return graceful;
    }

    private static boolean waitFor(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        }
    }

    private static String startInstant(ProcessHandle handle) {
        return handle.info().startInstant().map(Instant::toString).orElse("");
    }
}

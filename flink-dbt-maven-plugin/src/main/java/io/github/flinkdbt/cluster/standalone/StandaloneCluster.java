package io.github.flinkdbt.cluster.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.cluster.ClusterRestApi;
import io.github.flinkdbt.cluster.standalone.ClusterDirectory.PidRecord;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.FlinkDbtException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A standalone Flink session cluster on this machine, as background processes of their own: one
 * JobManager and some TaskManagers, started from the Flink jars Maven resolved (there is no Flink
 * distribution to download), its files in one directory of the home (see {@link ClusterDirectory}).
 * Starting, stopping and asking are idempotent and find the processes by their pid files, so any
 * later build (or a crashed one) can stop what an earlier one started.
 */
public final class StandaloneCluster {

    private static final String HOST = "localhost";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);
    private static final int LOG_LINES = 25;

    /**
     * What to start.
     *
     * @param directory the cluster's directory ({@code <home>/cluster})
     * @param restPort the REST API's and web UI's port
     * @param taskManagers how many TaskManagers
     * @param slots task slots per TaskManager
     * @param configuration Flink options over the defaults, written to {@code config.yaml}
     * @param classpath Flink's jars (see {@code ClusterClasspath#forCluster})
     * @param stopTimeout how long a stop waits for the processes before it kills them
     */
    public record Spec(
            Path directory,
            int restPort,
            int taskManagers,
            int slots,
            Map<String, String> configuration,
            List<Path> classpath,
            Duration stopTimeout) {}

    private StandaloneCluster() {}

    /** Starts the cluster unless it runs; returns once every TaskManager has registered. */
    public static ClusterStatus start(Spec spec, BuildLog log, Hints hints) {
        if (spec.taskManagers() < 1 || spec.slots() < 1) {
            throw new FlinkDbtException("A cluster needs at least one TaskManager with one slot; got "
                    + spec.taskManagers() + " TaskManager(s) with " + spec.slots() + " slot(s).");
        }
        ClusterDirectory directory = new ClusterDirectory(spec.directory());
        ClusterStatus before = status(spec.directory());
        if (before.jobManagerRunning()) {
            return startMissingTaskManagers(spec, directory, before, log);
        }
        cleanStale(directory, before, log);
        URI url = restUrl(spec.restPort());
        requireFreePort(spec.restPort(), url, hints);
        Map<String, String> options = options(spec);
        Configuration config = write(directory, options, hints);
        Instant startedAt = Instant.now();
        List<PidRecord> started = new ArrayList<>();
        try {
            started.add(ClusterProcesses.launch(
                    directory,
                    ClusterDirectory.JOB_MANAGER,
                    ClusterProcesses.JOB_MANAGER_CLASS,
                    jobManagerJvmArgs(config),
                    List.of(),
                    spec.classpath()));
            TaskManagerMemory memory = taskManagerMemory(config);
            for (int number = 1; number <= spec.taskManagers(); number++) {
                started.add(launchTaskManager(directory, number, memory, spec.classpath()));
            }
            awaitReady(directory, started, url, spec.taskManagers(), spec.slots());
        } catch (IOException | RuntimeException e) {
            kill(directory, started);
            if (e instanceof FlinkDbtException failure) {
                throw failure;
            }
            throw new FlinkDbtException(
                    "Cannot start the Flink cluster in " + spec.directory() + ": " + e.getMessage(), e);
        }
        log.info("flink-dbt: Flink cluster started in "
                + Duration.between(startedAt, Instant.now()).toMillis() + " ms: 1 JobManager, "
                + spec.taskManagers() + " TaskManager(s) with " + spec.slots() + " slot(s) each");
        return status(spec.directory());
    }

    /** Stops the cluster gracefully, killing what has not stopped after the spec's timeout; says what it did. */
    public static String stop(Path clusterDirectory, Duration timeout) {
        ClusterDirectory directory = new ClusterDirectory(clusterDirectory);
        List<String> processes;
        try {
            processes = directory.recordedProcesses();
        } catch (IOException e) {
            throw new FlinkDbtException(
                    "Cannot read the cluster's pid files in " + directory.run() + ": " + e.getMessage(), e);
        }
        if (processes.isEmpty()) {
            return "no Flink cluster runs from " + clusterDirectory;
        }
        List<ProcessHandle> running = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        // TaskManagers first: a JobManager that goes first makes them retry it until they give up
        List<String> taskManagersFirst = new ArrayList<>(processes);
        Collections.reverse(taskManagersFirst);
        for (String process : taskManagersFirst) {
            Optional<ProcessHandle> alive = pid(directory, process).flatMap(ClusterProcesses::alive);
            alive.ifPresentOrElse(running::add, () -> stale.add(process));
        }
        Instant start = Instant.now();
        boolean graceful = ClusterProcesses.stop(running, timeout);
        for (String process : processes) {
            deletePid(directory, process);
        }
        String stopped = running.isEmpty()
                ? "no process of it was running"
                : "stopped " + running.size() + " process(es) in "
                        + Duration.between(start, Instant.now()).toMillis() + " ms"
                        + (graceful
                                ? ""
                                : " (killed after " + timeout.toSeconds() + " s: they did not stop when asked)");
        return "Flink cluster in " + clusterDirectory + ": " + stopped
                + (stale.isEmpty() ? "" : "; removed the stale pid files of " + String.join(", ", stale));
    }

    /** The cluster's processes, as their pid files and the REST API tell. */
    public static ClusterStatus status(Path clusterDirectory) {
        ClusterDirectory directory = new ClusterDirectory(clusterDirectory);
        Map<String, ClusterStatus.ProcessState> processes = new LinkedHashMap<>();
        try {
            for (String process : directory.recordedProcesses()) {
                PidRecord pid = pid(directory, process).orElse(new PidRecord(process, -1, ""));
                processes.put(
                        process,
                        new ClusterStatus.ProcessState(
                                process, pid.pid(), ClusterProcesses.alive(pid).isPresent()));
            }
        } catch (IOException e) {
            throw new FlinkDbtException(
                    "Cannot read the cluster's pid files in " + directory.run() + ": " + e.getMessage(), e);
        }
        URI url = restUrl(directory);
        ClusterStatus.ProcessState jobManager = processes.get(ClusterDirectory.JOB_MANAGER);
        if (url == null || jobManager == null || !jobManager.alive()) {
            return new ClusterStatus(
                    clusterDirectory, url, List.copyOf(processes.values()), Optional.empty(), List.of());
        }
        ClusterRestApi api = new ClusterRestApi(url);
        Optional<JsonNode> overview = api.get("/overview", ASK_TIMEOUT);
        List<ClusterStatus.Job> jobs = new ArrayList<>();
        api.get("/jobs/overview", ASK_TIMEOUT)
                .ifPresent(all -> all.path("jobs")
                        .forEach(job -> jobs.add(new ClusterStatus.Job(
                                job.path("jid").asText(),
                                job.path("name").asText(),
                                job.path("state").asText()))));
        return new ClusterStatus(
                clusterDirectory,
                url,
                List.copyOf(processes.values()),
                overview.map(o -> new ClusterStatus.Overview(
                        o.path("flink-version").asText(),
                        o.path("taskmanagers").asInt(),
                        o.path("slots-total").asInt(),
                        o.path("slots-available").asInt())),
                jobs);
    }

    private static ClusterStatus startMissingTaskManagers(
            Spec spec, ClusterDirectory directory, ClusterStatus before, BuildLog log) {
        List<PidRecord> started = new ArrayList<>();
        try {
            Configuration config =
                    GlobalConfiguration.loadConfiguration(directory.conf().toString());
            TaskManagerMemory memory = null;
            for (ClusterStatus.ProcessState process : before.processes()) {
                if (!process.alive() && !process.name().equals(ClusterDirectory.JOB_MANAGER)) {
                    memory = memory != null ? memory : taskManagerMemory(config);
                    int number = Integer.parseInt(
                            process.name().substring(process.name().lastIndexOf('-') + 1));
                    log.info(
                            "flink-dbt: " + process.name() + " (pid " + process.pid() + ") is gone; starting it again");
                    started.add(launchTaskManager(directory, number, memory, spec.classpath()));
                }
            }
            if (!started.isEmpty()) {
                int expected = (int) before.processes().stream()
                        .filter(p -> !p.name().equals(ClusterDirectory.JOB_MANAGER))
                        .count();
                // slots as the running cluster's configuration says, at least one each
                awaitReady(directory, started, before.restUrl(), expected, 1);
            }
        } catch (IOException | RuntimeException e) {
            kill(directory, started);
            throw e instanceof FlinkDbtException failure
                    ? failure
                    : new FlinkDbtException("Cannot start the missing TaskManagers: " + e.getMessage(), e);
        }
        ClusterStatus now = status(spec.directory());
        log.info("flink-dbt: the Flink cluster in " + spec.directory() + " was already running"
                + (started.isEmpty() ? "" : " (started " + started.size() + " TaskManager(s) again)"));
        return now;
    }

    private static PidRecord launchTaskManager(
            ClusterDirectory directory, int number, TaskManagerMemory memory, List<Path> classpath) throws IOException {
        String name = ClusterDirectory.taskManager(number);
        List<String> arguments = new ArrayList<>(memory.dynamicOptions());
        arguments.add("-Dtaskmanager.resource-id=" + name);
        return ClusterProcesses.launch(
                directory, name, ClusterProcesses.TASK_MANAGER_CLASS, memory.jvmArgs(), arguments, classpath);
    }

    /**
     * Waits until the REST API counts {@code taskManagers} and their slots (a TaskManager reports its
     * slots after it registered); fails with the log of a process that died.
     */
    private static void awaitReady(
            ClusterDirectory directory, List<PidRecord> started, URI url, int taskManagers, int slotsEach) {
        ClusterRestApi api = new ClusterRestApi(url);
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (true) {
            for (PidRecord pid : started) {
                if (ClusterProcesses.alive(pid).isEmpty()) {
                    throw new FlinkDbtException(
                            describe(pid.process()) + " (pid " + pid.pid() + ") exited while the cluster started."
                                    + " The last lines of " + directory.logFile(pid.process()) + " and its .out:\n  "
                                    + String.join("\n  ", directory.lastLines(pid.process(), LOG_LINES))
                                    + "\nNothing of the cluster was left running. Fix the cause above and start it again.");
                }
            }
            Optional<JsonNode> overview = api.get("/overview", ASK_TIMEOUT);
            if (overview.isPresent()
                    && overview.get().path("taskmanagers").asInt() >= taskManagers
                    && overview.get().path("slots-total").asInt() >= taskManagers * slotsEach) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new FlinkDbtException("The Flink cluster did not get ready within " + READY_TIMEOUT.toSeconds()
                        + " s ("
                        + overview.map(o -> o.path("taskmanagers").asInt() + " of " + taskManagers
                                        + " TaskManagers registered")
                                .orElse("its REST API at " + url + " did not answer")
                        + "). The last lines of " + directory.logFile(ClusterDirectory.JOB_MANAGER) + ":\n  "
                        + String.join("\n  ", directory.lastLines(ClusterDirectory.JOB_MANAGER, LOG_LINES))
                        + "\nNothing of the cluster was left running.");
            }
            sleep(POLL);
        }
    }

    private static String describe(String process) {
        return process.equals(ClusterDirectory.JOB_MANAGER) ? "The JobManager" : "TaskManager " + process;
    }

    private static void kill(ClusterDirectory directory, List<PidRecord> started) {
        List<ProcessHandle> alive = new ArrayList<>();
        for (PidRecord pid : started) {
            ClusterProcesses.alive(pid).ifPresent(alive::add);
        }
        ClusterProcesses.stop(alive, Duration.ofSeconds(5));
        for (PidRecord pid : started) {
            deletePid(directory, pid.process());
        }
    }

    /** A JobManager that is gone leaves its TaskManagers nothing to do: stop them, remove every pid file. */
    private static void cleanStale(ClusterDirectory directory, ClusterStatus before, BuildLog log) {
        if (before.processes().isEmpty()) {
            return;
        }
        List<ProcessHandle> orphans = new ArrayList<>();
        for (ClusterStatus.ProcessState process : before.processes()) {
            if (process.alive()) {
                pid(directory, process.name()).flatMap(ClusterProcesses::alive).ifPresent(orphans::add);
            }
        }
        ClusterProcesses.stop(orphans, Duration.ofSeconds(10));
        before.processes().forEach(process -> deletePid(directory, process.name()));
        log.info("flink-dbt: removed stale pid files of a cluster that is gone ("
                + String.join(
                        ", ",
                        before.processes().stream()
                                .map(p -> p.name() + " pid " + p.pid())
                                .toList())
                + (orphans.isEmpty() ? ")" : "; stopped " + orphans.size() + " TaskManager(s) left without it)"));
    }

    private static void requireFreePort(int port, URI url, Hints hints) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            String who = new ClusterRestApi(url)
                    .flinkVersion(Duration.ofSeconds(2))
                    .map(version -> "a Flink " + version + " cluster not started from this home answers there")
                    .orElse("another program listens there");
            throw new FlinkDbtException("Cannot start the Flink cluster: port " + port + " is in use (" + who + ")."
                    + "\nStop what uses it, or pick another port: "
                    + hints.set(Option.REST_PORT, String.valueOf(port + 1)));
        }
    }

    private static Map<String, String> options(Spec spec) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("jobmanager.rpc.address", HOST);
        options.put("jobmanager.rpc.port", String.valueOf(freePort()));
        options.put("jobmanager.bind-host", HOST);
        options.put("taskmanager.bind-host", HOST);
        options.put("taskmanager.host", HOST);
        options.put("rest.address", HOST);
        options.put("rest.bind-address", HOST);
        options.put("rest.port", String.valueOf(spec.restPort()));
        options.put("jobmanager.memory.process.size", "1024m");
        options.put("taskmanager.memory.process.size", "1280m");
        options.put("taskmanager.numberOfTaskSlots", String.valueOf(spec.slots()));
        options.put("parallelism.default", "1");
        options.putAll(spec.configuration());
        return options;
    }

    private static Configuration write(ClusterDirectory directory, Map<String, String> options, Hints hints) {
        try {
            directory.writeConfiguration(options);
        } catch (IOException e) {
            throw new FlinkDbtException(
                    "Cannot write the Flink cluster's files under " + directory.root() + ": "
                            + e.getMessage() + "\nMake that directory writable, or keep the home elsewhere: "
                            + hints.set(Option.HOME, "<directory>"),
                    e);
        }
        try {
            return GlobalConfiguration.loadConfiguration(directory.conf().toString());
        } catch (RuntimeException e) {
            throw new FlinkDbtException(
                    "The cluster's " + directory.conf().resolve("config.yaml") + " does not load: " + e.getMessage(),
                    e);
        }
    }

    private static List<String> jobManagerJvmArgs(Configuration config) {
        try {
            JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(config);
            return split(JobManagerProcessUtils.generateJvmParametersStr(spec, config));
        } catch (IllegalConfigurationException e) {
            throw new FlinkDbtException("The JobManager's memory options do not fit: " + e.getMessage(), e);
        }
    }

    /** The TaskManager's JVM sizes and its resolved memory options (it refuses to start without them). */
    private static TaskManagerMemory taskManagerMemory(Configuration config) {
        try {
            TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(config);
            return new TaskManagerMemory(
                    split(ProcessMemoryUtils.generateJvmParametersStr(spec)),
                    split(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)).stream()
                            .filter(token -> !token.equals("-D"))
                            .map(token -> "-D" + token)
                            .toList());
        } catch (IllegalConfigurationException e) {
            throw new FlinkDbtException("The TaskManagers' memory options do not fit: " + e.getMessage(), e);
        }
    }

    private record TaskManagerMemory(List<String> jvmArgs, List<String> dynamicOptions) {}

    private static List<String> split(String arguments) {
        return List.of(arguments.trim().split("\\s+"));
    }

    private static URI restUrl(int port) {
        return URI.create("http://" + HOST + ":" + port);
    }

    /** The REST URL the cluster's config.yaml gives; null when there is none. */
    private static URI restUrl(ClusterDirectory directory) {
        if (!directory.conf().resolve("config.yaml").toFile().isFile()) {
            return null;
        }
        Configuration config =
                GlobalConfiguration.loadConfiguration(directory.conf().toString());
        return restUrl(config.get(RestOptions.PORT));
    }

    private static Optional<PidRecord> pid(ClusterDirectory directory, String process) {
        try {
            return directory.pid(process);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void deletePid(ClusterDirectory directory, String process) {
        try {
            directory.deletePid(process);
        } catch (IOException e) {
            // a pid file that cannot be removed is found stale by the next start
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new FlinkDbtException("Cannot find a free port for the JobManager's RPC: " + e.getMessage(), e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkDbtException("Interrupted while the Flink cluster started", e);
        }
    }
}

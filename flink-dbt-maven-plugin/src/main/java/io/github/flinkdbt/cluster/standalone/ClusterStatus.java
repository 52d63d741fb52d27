package io.github.flinkdbt.cluster.standalone;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A standalone cluster as its pid files and REST API tell it.
 *
 * @param directory the cluster's directory
 * @param restUrl its REST API and web UI; null when it was never started there
 * @param processes the JobManager and the TaskManagers the pid files name, and whether each runs
 * @param overview what the REST API reports; empty when it does not answer
 * @param jobs the jobs the cluster knows, running or ended
 */
public record ClusterStatus(
        Path directory, URI restUrl, List<ProcessState> processes, Optional<Overview> overview, List<Job> jobs) {

    /** One process: its pid file's name ({@code jobmanager}, {@code taskmanager-1}), pid and whether it runs. */
    public record ProcessState(String name, long pid, boolean alive) {}

    /** The cluster's own account of itself. */
    public record Overview(String flinkVersion, int taskManagers, int slotsTotal, int slotsAvailable) {}

    public record Job(String id, String name, String state) {}

    public boolean jobManagerRunning() {
        return processes.stream().anyMatch(p -> p.name().equals(ClusterDirectory.JOB_MANAGER) && p.alive());
    }

    /** Runs: its JobManager process is there and its REST API answers. */
    public boolean running() {
        return jobManagerRunning() && overview.isPresent();
    }

    /** What {@code cluster-status} prints. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        if (processes.isEmpty()) {
            lines.add("No Flink cluster was started from " + directory + ".");
            return lines;
        }
        lines.add((running() ? "Flink cluster at " + restUrl : "Flink cluster in " + directory + " is not running")
                + overview.map(o -> " (Flink " + o.flinkVersion() + ")").orElse(""));
        for (ProcessState process : processes) {
            lines.add(String.format(
                    "  %-16s pid %-8d %s",
                    process.name(), process.pid(), process.alive() ? "running" : "gone (stale pid file)"));
        }
        overview.ifPresent(o -> lines.add("  " + o.taskManagers() + " TaskManager(s) registered, " + o.slotsTotal()
                + " slot(s), " + o.slotsAvailable() + " free"));
        List<Job> running =
                jobs.stream().filter(job -> job.state().equals("RUNNING")).toList();
        lines.add("  " + running.size() + " running job(s)"
                + (jobs.size() > running.size() ? ", " + (jobs.size() - running.size()) + " ended" : ""));
        for (Job job : running) {
            lines.add("    " + job.id() + "  " + job.name());
        }
        lines.add("  files: " + directory + " (conf/config.yaml, log/)");
        return lines;
    }
}

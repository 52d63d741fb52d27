package io.github.flinkdbt;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code run} needs beyond a build: where the run's tables and state live and how the
 * embedded cluster runs.
 *
 * @param build the project, selection and compile settings (compiled first, as by compile-models)
 * @param home the flink-dbt home directory (warehouse, catalog, savepoints); survives mvn clean
 * @param restPort the embedded cluster's REST API and web UI port; 0 for a free one
 * @param fullRefresh rebuild tables and incrementals from scratch; streaming models start empty
 * @param keepRunning keep streaming jobs running until Ctrl-C, then stop them with a savepoint
 * @param tests run each model's unit tests before it and its data tests after it (dbt's build order)
 * @param show models whose first rows are printed after the run
 * @param jvmArgs options of the JVM the run forks (when the build forks)
 * @param control stops a run that keeps running (its shutdown hook uses it too)
 * @param cluster the REST address of a running Flink cluster on this machine to run on; null to start an
 *     embedded one
 */
public record RunRequest(
        BuildRequest build,
        Path home,
        int restPort,
        boolean fullRefresh,
        boolean keepRunning,
        boolean tests,
        List<String> show,
        List<String> jvmArgs,
        io.github.flinkdbt.run.RunControl control,
        java.net.URI cluster) {

    public static final List<String> DEFAULT_JVM_ARGS = List.of("-Xmx2g", "-XX:+UseParallelGC");

    /** What Flink's own launch scripts open up on Java 17 (Kryo serializes JDK classes reflectively). */
    public static final List<String> JAVA_MODULE_OPTIONS = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    /** The same run of other models (dbt selection syntax). */
    public RunRequest withSelect(String select) {
        return new RunRequest(build.toBuilder().select(select).build(), home, restPort, fullRefresh, keepRunning, tests, show,
                jvmArgs, control, cluster);
    }

    /** The same run, rebuilding everything from scratch. */
    public RunRequest withFullRefresh() {
        return new RunRequest(build, home, restPort, true, keepRunning, tests, show, jvmArgs, control, cluster);
    }

    /** The same run on an existing cluster (e.g. one shared by tests) instead of an embedded one. */
    public RunRequest on(java.net.URI existingCluster) {
        return new RunRequest(build, home, restPort, fullRefresh, keepRunning, tests, show, jvmArgs, control, existingCluster);
    }

    /** The same run, keeping streaming jobs running until {@code control} stops them. */
    public RunRequest keepingRunningUntil(io.github.flinkdbt.run.RunControl control) {
        return new RunRequest(build, home, restPort, fullRefresh, true, tests, show, jvmArgs, control, cluster);
    }
}

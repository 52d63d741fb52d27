package io.github.flinkdbt.build;

import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.cluster.ClusterClasspath;
import io.github.flinkdbt.cluster.standalone.ClusterStatus;
import io.github.flinkdbt.cluster.standalone.StandaloneCluster;
import io.github.flinkdbt.common.FlinkDbtException;
import java.nio.file.Path;
import java.time.Duration;

/** The goals of the home's standalone cluster: {@code start-cluster}, {@code stop-cluster}, {@code cluster-status}. */
public final class Clusters {

    private Clusters() {}

    public static ClusterStatus start(Settings settings, Invocation invocation) {
        Settings.Standalone standalone = settings.standalone();
        StandaloneCluster.Spec spec = new StandaloneCluster.Spec(
                directory(settings, invocation),
                standalone.restPort(),
                standalone.taskManagers(),
                standalone.slots(),
                settings.compile().flinkConfiguration(),
                ClusterClasspath.forCluster(invocation.pluginClasspath()),
                Duration.ofSeconds(standalone.stopSeconds()));
        ClusterStatus status = StandaloneCluster.start(spec, invocation.log(), invocation.hints());
        status.lines().forEach(line -> invocation.log().info(line));
        invocation.log().info("flink-dbt: web UI and REST API at " + status.restUrl());
        return status;
    }

    public static void stop(Settings settings, Invocation invocation) {
        invocation
                .log()
                .info("flink-dbt: "
                        + StandaloneCluster.stop(
                                directory(settings, invocation),
                                Duration.ofSeconds(settings.standalone().stopSeconds())));
    }

    public static ClusterStatus status(Settings settings, Invocation invocation) {
        ClusterStatus status = StandaloneCluster.status(directory(settings, invocation));
        status.lines().forEach(line -> invocation.log().info(line));
        return status;
    }

    /** {@code <home>/cluster}: the cluster runs on this machine, so its home must be a local directory. */
    static Path directory(Settings settings, Invocation invocation) {
        if (!"file".equals(settings.home().getScheme())) {
            throw new FlinkDbtException("The standalone cluster runs on this machine and keeps its files in the home, "
                    + "but the home is " + settings.home() + ". Use a local home for it: "
                    + invocation.hints().set(Option.HOME, "<directory>"));
        }
        return Path.of(settings.home()).resolve("cluster");
    }
}

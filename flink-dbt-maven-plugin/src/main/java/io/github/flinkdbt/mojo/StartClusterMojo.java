package io.github.flinkdbt.mojo;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Starts a standalone Flink session cluster on this machine, in the background: one JobManager and
 * {@code flink-dbt.taskManagers} TaskManagers, from the Flink jars Maven resolved, with its
 * {@code config.yaml}, logs and pid files in {@code <home>/cluster}. Returns once every TaskManager
 * has registered and prints the web UI's URL; says so when the cluster already runs.
 */
@Mojo(name = "start-cluster", threadSafe = true, requiresProject = false)
public class StartClusterMojo extends AbstractFlinkDbtMojo {

    /** Port of the cluster's REST API and web UI. */
    @Parameter(property = PropertyNames.REST_PORT, defaultValue = "8081")
    private int restPort;

    /** How many TaskManagers to start. */
    @Parameter(property = PropertyNames.TASK_MANAGERS, defaultValue = "1")
    private int taskManagers;

    /** Task slots of each TaskManager. */
    @Parameter(property = PropertyNames.SLOTS, defaultValue = "4")
    private int slots;

    @Override
    protected void configure(Settings.Builder settings, Invocation.Builder invocation) {
        settings.standalone(
                new Settings.Standalone(restPort, taskManagers, slots, StopClusterMojo.DEFAULT_STOP_SECONDS));
    }

    @Override
    protected void run(Settings settings, Invocation invocation) {
        FlinkDbt.startCluster(settings, invocation);
    }
}

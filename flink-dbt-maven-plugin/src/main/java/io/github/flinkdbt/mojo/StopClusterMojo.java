package io.github.flinkdbt.mojo;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Stops the standalone Flink cluster {@code start-cluster} started from this home: asks every
 * process to stop, kills what has not stopped after {@code flink-dbt.stopTimeout} seconds, and
 * removes the pid files (also those of processes already gone).
 */
@Mojo(name = "stop-cluster", threadSafe = true, requiresProject = false)
public class StopClusterMojo extends AbstractFlinkDbtMojo {

    static final int DEFAULT_STOP_SECONDS = 30;

    /** Seconds to wait for the cluster's processes to stop before killing them. */
    @Parameter(property = PropertyNames.STOP_TIMEOUT, defaultValue = "" + DEFAULT_STOP_SECONDS)
    private int stopTimeout;

    @Override
    protected void configure(Settings.Builder settings, Invocation.Builder invocation) {
        settings.standalone(new Settings.Standalone(0, 0, 0, stopTimeout));
    }

    @Override
    protected void run(Settings settings, Invocation invocation) {
        FlinkDbt.stopCluster(settings, invocation);
    }
}

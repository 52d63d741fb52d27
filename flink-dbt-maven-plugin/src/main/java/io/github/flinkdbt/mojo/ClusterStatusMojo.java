package io.github.flinkdbt.mojo;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import org.apache.maven.plugins.annotations.Mojo;

/** Prints the standalone Flink cluster of this home: its processes, TaskManagers, slots and running jobs. */
@Mojo(name = "cluster-status", threadSafe = true, requiresProject = false)
public class ClusterStatusMojo extends AbstractFlinkDbtMojo {

    @Override
    protected void run(Settings settings, Invocation invocation) {
        FlinkDbt.clusterStatus(settings, invocation);
    }
}

package io.github.flinkdbt.mojo;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Prints what is deployed: per streaming model its job (and what the cluster says of it now), plan
 * checksum, the deployment that left it and its savepoint; who holds the deployment lock; a
 * deployment that did not end.
 */
@Mojo(name = "status", threadSafe = true)
public class StatusMojo extends AbstractDeployMojo {

    @Override
    protected void run(Settings settings, Invocation invocation) {
        FlinkDbt.deployStatus(settings, invocation);
    }
}

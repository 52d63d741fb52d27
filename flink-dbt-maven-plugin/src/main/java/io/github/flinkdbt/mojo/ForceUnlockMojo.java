package io.github.flinkdbt.mojo;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Opens the deployment lock held by a deployer known to be dead (its lease would end by itself); a
 * deploy still running under it is refused at its next step.
 */
@Mojo(name = "force-unlock", threadSafe = true)
public class ForceUnlockMojo extends AbstractDeployMojo {

    @Override
    protected void run(Settings settings, Invocation invocation) {
        FlinkDbt.forceUnlock(settings, invocation);
    }
}

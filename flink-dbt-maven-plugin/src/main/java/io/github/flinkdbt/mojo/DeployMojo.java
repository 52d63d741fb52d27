package io.github.flinkdbt.mojo;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.api.DeployMode;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Takes the streaming models to the plans of this build on the cluster at {@code flink-dbt.restUrl}
 * ({@code -Dflink-dbt.target=remote}): checks their state first, then per model creates, upgrades
 * (stop with savepoint, restore), restores a vanished job or drops a removed model, each step in the
 * ledger, each new job health-gated and rolled back when it fails. Re-run after a crash, it finishes
 * what the crashed deploy left.
 */
@Mojo(
        name = "deploy",
        defaultPhase = LifecyclePhase.DEPLOY,
        threadSafe = true,
        requiresDependencyResolution = ResolutionScope.COMPILE)
public class DeployMojo extends AbstractDeployMojo {

    @Override
    protected void run(Settings settings, Invocation invocation) {
        FlinkDbt.deploy(settings, invocation, DeployMode.DEPLOY);
    }

    @Override
    protected String afterProblems() {
        return "Nothing was deployed. Fix the problems above and deploy again.";
    }
}

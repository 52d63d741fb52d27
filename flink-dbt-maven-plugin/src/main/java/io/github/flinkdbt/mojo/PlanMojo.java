package io.github.flinkdbt.mojo;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.api.DeployMode;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * What {@code deploy} would do, changing nothing: one action per streaming model (CREATE, UPGRADE,
 * RESTART, NOOP, RESTORE, START_EMPTY, DROP) with its state verdict. Fails when a policy forbids
 * an action, as {@code deploy} would before it changes anything.
 */
@Mojo(name = "plan", threadSafe = true, requiresDependencyResolution = ResolutionScope.COMPILE)
@Execute(phase = LifecyclePhase.COMPILE)
public class PlanMojo extends AbstractDeployMojo {

    @Override
    protected void run(Settings settings, Invocation invocation) {
        FlinkDbt.deploy(settings, invocation, DeployMode.PLAN);
    }

    @Override
    protected String afterProblems() {
        return "Nothing was planned. Fix the problems above and run the plan again.";
    }
}

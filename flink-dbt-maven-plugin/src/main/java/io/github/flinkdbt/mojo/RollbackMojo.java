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
 * Takes back the last deployment that changed a streaming model: each model it upgraded runs its
 * previous plan again from the savepoint taken at that upgrade (its job now stopped with a
 * savepoint first, which is kept), a model it created is dropped, a model it dropped comes back.
 * Health-gated and journaled like a deploy; recorded in the ledger as a deployment of its own.
 */
@Mojo(name = "rollback", threadSafe = true, requiresDependencyResolution = ResolutionScope.COMPILE)
@Execute(phase = LifecyclePhase.COMPILE)
public class RollbackMojo extends AbstractDeployMojo {

    @Override
    protected void run(Settings settings, Invocation invocation) {
        FlinkDbt.deploy(settings, invocation, DeployMode.ROLLBACK);
    }

    @Override
    protected String afterProblems() {
        return "Nothing was rolled back. Fix the problems above and run the rollback again.";
    }
}

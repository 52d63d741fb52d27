package io.github.flinkdbt.mojo;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * For each streaming model, whether its state survives the change against {@code flink-dbt.baseline}:
 * UNCHANGED, STATELESS_CHANGE, STATE_COMPATIBLE, STATE_INCOMPATIBLE, NEW or REMOVED, and with a
 * savepoint which operators restore, start empty or would be dropped. Fails on an incompatible
 * model whose {@code on_state_incompatible} is {@code fail}.
 */
@Mojo(
        name = "check-state-compat",
        defaultPhase = LifecyclePhase.VERIFY,
        threadSafe = true,
        requiresDependencyResolution = ResolutionScope.COMPILE)
public class CheckStateCompatMojo extends AbstractFlinkDbtMojo {

    /** Savepoints to check against: {@code model=path,...}, one savepoint, or a directory of them. */
    @Parameter(property = PropertyNames.SAVEPOINT)
    private String savepoint;

    @Override
    protected void configure(Settings.Builder settings, Invocation.Builder invocation) {
        settings.savepoint(savepoint);
    }

    @Override
    protected void run(Settings settings, Invocation invocation) {
        FlinkDbt.checkStateCompat(settings, invocation);
    }

    @Override
    protected String afterProblems() {
        return "State compatibility was not checked. Fix the problems above and run: mvn verify";
    }
}

package io.github.flinkdbt.mojo;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import java.util.List;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Runs the project on an embedded Flink cluster (REST API and web UI on localhost), or on the
 * session cluster at {@code flink-dbt.restUrl} ({@code -Dflink-dbt.target=remote}: the one
 * {@code start-cluster} started), with a persistent Iceberg catalog in {@code flink-dbt.home}:
 * views, tables, incrementals and streaming jobs, in dependency order. Compiles first; writes
 * {@code target/flink-dbt/run_results.json}.
 */
@Mojo(name = "run", threadSafe = true, requiresDependencyResolution = ResolutionScope.COMPILE)
@Execute(phase = LifecyclePhase.COMPILE)
public class RunMojo extends AbstractFlinkDbtMojo {

    /** Port of the embedded cluster's REST API and web UI; 0 picks a free one. */
    @Parameter(property = PropertyNames.REST_PORT, defaultValue = "0")
    private int restPort;

    /** Rebuild tables and incremental models from scratch; start streaming models without state. */
    @Parameter(property = PropertyNames.FULL_REFRESH, defaultValue = "false")
    private boolean fullRefresh;

    /** Keep streaming jobs running (web UI usable) until Ctrl-C, then stop them with a savepoint. */
    @Parameter(property = PropertyNames.KEEP_RUNNING, defaultValue = "false")
    private boolean keepRunning;

    /** Models whose first rows are printed after the run, comma separated. */
    @Parameter(property = PropertyNames.SHOW)
    private List<String> show;

    /** Skips the models' tests, which otherwise run in dbt's build order (unit tests before, data tests after). */
    @Parameter(property = PropertyNames.SKIP_TESTS, defaultValue = "false")
    private boolean skipTests;

    /** Options of the JVM the run forks, space separated. */
    @Parameter(property = PropertyNames.RUN_JVM_ARGS)
    private String runJvmArgs;

    @Override
    protected void configure(Settings.Builder settings, Invocation.Builder invocation) {
        settings.restPort(restPort)
                .fullRefresh(fullRefresh)
                .keepRunning(keepRunning)
                .tests(!skipTests)
                .show(show == null ? List.of() : show);
        invocation.runJvmArgs(jvmArgs(runJvmArgs, Invocation.DEFAULT_RUN_JVM_ARGS));
    }

    @Override
    protected void run(Settings settings, Invocation invocation) {
        FlinkDbt.run(settings, invocation);
    }

    @Override
    protected String afterProblems() {
        return "Nothing was run. Fix the problems above and run again.";
    }
}

package io.github.flinkdbt.mojo;

import io.github.flinkdbt.BuildRequest;
import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.RunRequest;
import io.github.flinkdbt.run.RunControl;
import java.io.File;
import java.util.List;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Runs the project on an embedded Flink cluster (REST API and web UI on localhost) with a
 * persistent Iceberg catalog in {@code flink-dbt.home}: views, tables, incrementals and streaming
 * jobs, in dependency order. Compiles first; writes {@code target/flink-dbt/run_results.json}.
 */
@Mojo(name = "run", threadSafe = true, requiresDependencyResolution = ResolutionScope.COMPILE)
@Execute(phase = LifecyclePhase.COMPILE)
public class RunMojo extends AbstractFlinkDbtMojo {


    /** Port of the embedded cluster's REST API and web UI; 0 picks a free one. */
    @Parameter(property = "flink-dbt.restPort", defaultValue = "0")
    private int restPort;

    /** Rebuild tables and incremental models from scratch; start streaming models without state. */
    @Parameter(property = "flink-dbt.fullRefresh", defaultValue = "false")
    private boolean fullRefresh;

    /** Keep streaming jobs running (web UI usable) until Ctrl-C, then stop them with a savepoint. */
    @Parameter(property = "flink-dbt.keepRunning", defaultValue = "false")
    private boolean keepRunning;

    /** Models whose first rows are printed after the run, comma separated. */
    @Parameter(property = "flink-dbt.show")
    private List<String> show;

    /** Skips the models' tests, which otherwise run in dbt's build order (unit tests before, data tests after). */
    @Parameter(property = "flink-dbt.skipTests", defaultValue = "false")
    private boolean skipTests;

    /** Options of the JVM the run forks, space separated. */
    @Parameter(property = "flink-dbt.runJvmArgs")
    private String runJvmArgs;

    @Override
    protected void run(BuildRequest request) {
        FlinkDbt.run(new RunRequest(request, home.toPath(), restPort, fullRefresh, keepRunning, !skipTests,
                show == null ? List.of() : show,
                jvmArgs(runJvmArgs, RunRequest.DEFAULT_JVM_ARGS), new RunControl(), null));
    }

    @Override
    protected String afterProblems() {
        return "Nothing was run. Fix the problems above and run again.";
    }
}

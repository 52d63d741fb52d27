package io.github.flinkdbt.mojo;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Validates the models, then writes {@code target/flink-dbt/}: compiled SQL, a compiled plan with
 * project-owned operator UIDs for every streaming table, and {@code manifest.json}. The directory
 * is replaced atomically; unchanged input gives byte-identical output.
 */
@Mojo(
        name = "compile-models",
        defaultPhase = LifecyclePhase.COMPILE,
        threadSafe = true,
        requiresDependencyResolution = ResolutionScope.COMPILE)
public class CompileModelsMojo extends AbstractFlinkDbtMojo {

    /** Print the model DAG after compiling. */
    @Parameter(property = PropertyNames.PRINT_DAG, defaultValue = "true")
    private boolean printDag;

    @Override
    protected void configure(Settings.Builder settings, Invocation.Builder invocation) {
        invocation.printDag(printDag);
    }

    @Override
    protected void run(Settings settings, Invocation invocation) {
        FlinkDbt.compile(settings, invocation);
    }
}

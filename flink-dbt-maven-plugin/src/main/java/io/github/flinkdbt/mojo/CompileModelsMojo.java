package io.github.flinkdbt.mojo;

import io.github.flinkdbt.BuildRequest;
import io.github.flinkdbt.FlinkDbt;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Validates the models, then writes {@code target/flink-dbt/}: compiled SQL, a compiled plan with
 * project-owned operator UIDs for every streaming table, and {@code manifest.json}. The directory
 * is replaced atomically; unchanged input gives byte-identical output.
 */
@Mojo(name = "compile-models", defaultPhase = LifecyclePhase.COMPILE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.COMPILE)
public class CompileModelsMojo extends AbstractFlinkDbtMojo {

    /** Print the model DAG after compiling. */
    @Parameter(property = "flink-dbt.printDag", defaultValue = "true")
    private boolean printDag;

    @Override
    protected void run(BuildRequest request) {
        FlinkDbt.compile(request);
    }

    @Override
    protected boolean printDag() {
        return printDag;
    }
}

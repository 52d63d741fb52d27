package io.github.flinkdbt.mojo;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Renders every model, builds the DAG and plans each model on the real Flink planner. Reports
 * every problem at its file and line. Writes nothing but the plan cache. Runs in the compile
 * phase after javac (listed after it in the flink-dbt packaging; after it too when added to a jar
 * project), so models can call the project's own UDFs.
 */
@Mojo(
        name = "validate-models",
        defaultPhase = LifecyclePhase.COMPILE,
        threadSafe = true,
        requiresDependencyResolution = ResolutionScope.COMPILE)
public class ValidateModelsMojo extends AbstractFlinkDbtMojo {

    @Override
    protected void run(Settings settings, Invocation invocation) {
        FlinkDbt.validate(settings, invocation);
    }
}

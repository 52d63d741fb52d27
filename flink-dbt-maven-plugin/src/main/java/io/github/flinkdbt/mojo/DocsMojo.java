package io.github.flinkdbt.mojo;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import java.io.File;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Writes the docs site: the lineage graph (with column lineage), a page per source, model, seed,
 * snapshot and test with its state verdict and deploy history, and the dbt artifacts. The site
 * works opened from disk; {@code -Dflink-dbt.serve} also serves it on localhost until Ctrl-C.
 */
@Mojo(name = "docs", threadSafe = true, requiresDependencyResolution = ResolutionScope.COMPILE)
@Execute(phase = LifecyclePhase.COMPILE)
public class DocsMojo extends AbstractFlinkDbtMojo {

    /** Where the site is written. */
    @Parameter(property = PropertyNames.DOCS_DIRECTORY, defaultValue = "${project.build.directory}/flink-dbt-docs")
    private File docsDirectory;

    /** Serve the site on localhost after writing it, until the build is stopped. */
    @Parameter(property = PropertyNames.SERVE, defaultValue = "false")
    private boolean serve;

    /** The port the site is served on (0: any free port). */
    @Parameter(property = PropertyNames.DOCS_PORT, defaultValue = "8080")
    private int docsPort;

    @Override
    protected void run(Settings settings, Invocation invocation) {
        FlinkDbt.docs(settings, invocation, docsDirectory.toPath());
        if (serve) {
            try {
                FlinkDbt.serveDocs(docsDirectory.toPath(), docsPort, invocation);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    protected String afterProblems() {
        return "No docs were written.";
    }
}

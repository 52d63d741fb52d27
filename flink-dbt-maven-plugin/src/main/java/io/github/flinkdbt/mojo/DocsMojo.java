package io.github.flinkdbt.mojo;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import java.io.File;
import java.util.Locale;
import org.apache.maven.doxia.sink.Sink;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.reporting.MavenReport;
import org.apache.maven.reporting.MavenReportException;

/**
 * Writes the docs site: the lineage graph (with column lineage), a page per source, model, seed,
 * snapshot and test with its state verdict and deploy history, and the dbt artifacts. The site
 * works opened from disk; {@code -Dflink-dbt.serve} also serves it on localhost until Ctrl-C. In a
 * POM's {@code <reporting>} section it is a report of {@code mvn site}: the same pages, under
 * {@code flink-dbt-docs/} of the project's site.
 */
@Mojo(name = "docs", threadSafe = true, requiresDependencyResolution = ResolutionScope.COMPILE)
@Execute(phase = LifecyclePhase.COMPILE)
public class DocsMojo extends AbstractFlinkDbtMojo implements MavenReport {

    private static final String SITE_DIRECTORY = "flink-dbt-docs";

    /** Where the site is written. */
    @Parameter(property = PropertyNames.DOCS_DIRECTORY, defaultValue = "${project.build.directory}/" + SITE_DIRECTORY)
    private File docsDirectory;

    /** Serve the site on localhost after writing it, until the build is stopped. */
    @Parameter(property = PropertyNames.SERVE, defaultValue = "false")
    private boolean serve;

    /** The port the site is served on (0: any free port). */
    @Parameter(property = PropertyNames.DOCS_PORT, defaultValue = "8080")
    private int docsPort;

    /** Where {@code mvn site} puts reports; set by the site plugin. */
    @Parameter(defaultValue = "${project.reporting.outputDirectory}", readonly = true)
    private File reportOutputDirectory;

    private boolean asReport;

    @Override
    protected void run(Settings settings, Invocation invocation) {
        FlinkDbt.docs(settings, invocation, docsDirectory.toPath());
        if (serve && !asReport) {
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

    /** As a report of {@code mvn site}: the site goes under the project site's {@code flink-dbt-docs/}. */
    @Override
    public void generate(Sink sink, Locale locale) throws MavenReportException {
        asReport = true;
        docsDirectory = new File(reportOutputDirectory, SITE_DIRECTORY);
        try {
            execute();
        } catch (MojoExecutionException | MojoFailureException e) {
            throw new MavenReportException(e.getMessage(), e);
        }
    }

    @Override
    public String getOutputName() {
        return SITE_DIRECTORY + "/index";
    }

    @Override
    public String getCategoryName() {
        return CATEGORY_PROJECT_REPORTS;
    }

    @Override
    public String getName(Locale locale) {
        return "flink-dbt docs";
    }

    @Override
    public String getDescription(Locale locale) {
        return "The flink-dbt models: lineage graph, column lineage, state verdicts and deploy history.";
    }

    @Override
    public void setReportOutputDirectory(File directory) {
        reportOutputDirectory = directory;
    }

    @Override
    public File getReportOutputDirectory() {
        return reportOutputDirectory;
    }

    /** The report writes its own pages (the docs site) rather than one page through the site's sink. */
    @Override
    public boolean isExternalReport() {
        return true;
    }

    @Override
    public boolean canGenerateReport() {
        return true;
    }
}

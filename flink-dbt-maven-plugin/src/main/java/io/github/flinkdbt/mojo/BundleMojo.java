package io.github.flinkdbt.mojo;

import io.github.flinkdbt.BuildRequest;
import io.github.flinkdbt.planner.ProjectPlanner;
import io.github.flinkdbt.report.Bundle;
import java.io.File;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Packages what was validated, the compiled models and the project's classes, as the project's
 * main artifact, so {@code mvn install} and {@code mvn deploy} publish exactly that.
 */
@Mojo(name = "bundle", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class BundleMojo extends AbstractFlinkDbtMojo {

    @Parameter(defaultValue = "${project.build.outputDirectory}", readonly = true)
    private File classesDirectory;

    @Parameter(defaultValue = "${project.build.directory}/${project.build.finalName}.jar", readonly = true)
    private File bundleFile;

    /** Entry timestamps (ISO-8601), for reproducible bundles; Maven's usual property. */
    @Parameter(property = "project.build.outputTimestamp", defaultValue = "1980-02-01T00:00:00Z")
    private String outputTimestamp;

    @Override
    protected void run(BuildRequest request) {
        Bundle.write(outputDirectory.toPath(), classesDirectory.toPath(), bundleFile.toPath(), timestamp(),
                ProjectPlanner.flinkVersion());
        project.getArtifact().setFile(bundleFile);
        log().info("flink-dbt: bundled " + relative(outputDirectory) + " and classes into " + relative(bundleFile));
    }

    private LocalDateTime timestamp() {
        String value = outputTimestamp.matches("\\d+") ? null : outputTimestamp;
        OffsetDateTime time = value == null
                ? OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(Long.parseLong(outputTimestamp)), ZoneOffset.UTC)
                : OffsetDateTime.parse(value);
        return time.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }

    @Override
    protected String afterProblems() {
        return "No bundle was written.";
    }
}

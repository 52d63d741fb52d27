package io.github.flinkdbt.mojo;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import java.io.File;
import java.time.Instant;
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

    /** Entry timestamps (ISO-8601, or seconds since the epoch), for reproducible bundles; Maven's usual property. */
    @Parameter(property = "project.build.outputTimestamp", defaultValue = "1980-02-01T00:00:00Z")
    private String outputTimestamp;

    @Override
    protected void run(Settings settings, Invocation invocation) {
        FlinkDbt.bundle(settings, invocation, classesDirectory.toPath(), bundleFile.toPath(), timestamp());
        project.getArtifact().setFile(bundleFile);
    }

    private LocalDateTime timestamp() {
        OffsetDateTime time = outputTimestamp.matches("\\d+")
                ? OffsetDateTime.ofInstant(Instant.ofEpochSecond(Long.parseLong(outputTimestamp)), ZoneOffset.UTC)
                : OffsetDateTime.parse(outputTimestamp);
        return time.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }

    @Override
    protected String afterProblems() {
        return "No bundle was written.";
    }
}

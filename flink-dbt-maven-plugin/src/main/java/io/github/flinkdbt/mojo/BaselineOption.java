package io.github.flinkdbt.mojo;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * {@code -Dflink-dbt.baseline=}: a released bundle's {@code groupId:artifactId:version} is resolved
 * like any dependency, into the jar's path; a directory, a bundle path or {@code deployed} goes to
 * the core as given, which decides the baseline by one rule for every goal.
 */
final class BaselineOption {

    private BaselineOption() {}

    static String resolve(String value, MavenProject project, MavenSession session, RepositorySystem system)
            throws MojoExecutionException {
        if (value == null || value.isBlank() || !value.trim().matches(BundleOption.COORDINATES)) {
            return value;
        }
        String spec = value.trim();
        String[] gav = spec.split(":");
        try {
            return system.resolveArtifact(
                            session.getRepositorySession(),
                            new ArtifactRequest(
                                    new DefaultArtifact(gav[0], gav[1], "jar", gav[2]),
                                    project.getRemoteProjectRepositories(),
                                    null))
                    .getArtifact()
                    .getFile()
                    .getAbsolutePath();
        } catch (ArtifactResolutionException e) {
            throw new MojoExecutionException(
                    "-D" + PropertyNames.BASELINE + "=" + spec + ": cannot resolve the bundle (" + e.getMessage()
                            + "). Is that version released, or installed (mvn install)?",
                    e);
        }
    }
}

package io.github.flinkdbt.mojo;

import java.nio.file.Path;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * {@code -Dflink-dbt.baseline=}: a directory or bundle path, {@code groupId:artifactId:version} of
 * a released bundle (resolved like any dependency), or {@code deployed} (the home).
 */
final class BaselineOption {

    private BaselineOption() {}

    static Path resolve(String value, Path home, MavenProject project, MavenSession session, RepositorySystem system)
            throws MojoExecutionException {
        if (value == null || value.isBlank()) {
            return null;
        }
        String spec = value.trim();
        if (spec.equals("deployed")) {
            if (!io.github.flinkdbt.run.DeployedPlans.isHome(home)) {
                throw new MojoExecutionException("-Dflink-dbt.baseline=deployed: nothing was deployed from " + home
                        + " yet. Run the models first (mvn flink-dbt:run), or give another baseline.");
            }
            return home;
        }
        if (spec.matches("[\\w.-]+:[\\w.-]+:[\\w.+-]+")) {
            String[] gav = spec.split(":");
            try {
                return system.resolveArtifact(session.getRepositorySession(), new ArtifactRequest(
                        new DefaultArtifact(gav[0], gav[1], "jar", gav[2]), project.getRemoteProjectRepositories(),
                        null)).getArtifact().getFile().toPath();
            } catch (ArtifactResolutionException e) {
                throw new MojoExecutionException("-Dflink-dbt.baseline=" + spec + ": cannot resolve the bundle ("
                        + e.getMessage() + "). Is that version released, or installed (mvn install)?", e);
            }
        }
        Path path = Path.of(spec);
        return path.isAbsolute() ? path : project.getBasedir().toPath().resolve(path);
    }
}

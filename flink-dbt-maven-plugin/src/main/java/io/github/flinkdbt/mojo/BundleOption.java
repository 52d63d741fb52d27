package io.github.flinkdbt.mojo;

import io.github.flinkdbt.api.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;

/**
 * {@code -Dflink-dbt.bundle=groupId:artifactId:version}: the released bundle to deploy, resolved
 * from the repositories with the jars it needs at run time (its POM's compile and runtime
 * dependencies: connectors, the libraries of its functions), as any dependency is.
 */
final class BundleOption {

    static final String COORDINATES = "[\\w.-]+:[\\w.-]+:[\\w.+-]+";

    private static final Set<String> RUNTIME_SCOPES = Set.of("compile", "runtime");

    private BundleOption() {}

    /** The bundle, or null when none is given (the build's plans are deployed). */
    static Settings.Bundle resolve(String value, MavenProject project, MavenSession session, RepositorySystem system)
            throws MojoExecutionException {
        if (value == null || value.isBlank()) {
            return null;
        }
        String spec = value.trim();
        if (!spec.matches(COORDINATES)) {
            throw new MojoExecutionException("-D" + PropertyNames.BUNDLE + "=" + spec + ": not the coordinates of a"
                    + " bundle. Give its groupId:artifactId:version, e.g. -D" + PropertyNames.BUNDLE + "="
                    + project.getGroupId() + ":" + project.getArtifactId() + ":" + project.getVersion());
        }
        String[] gav = spec.split(":");
        CollectRequest collect = new CollectRequest(
                new Dependency(new DefaultArtifact(gav[0], gav[1], "jar", gav[2]), "runtime"),
                project.getRemoteProjectRepositories());
        DependencyRequest request = new DependencyRequest(
                collect,
                (node, parents) -> node.getDependency() == null
                        || RUNTIME_SCOPES.contains(node.getDependency().getScope()));
        List<ArtifactResult> resolved;
        try {
            resolved = system.resolveDependencies(session.getRepositorySession(), request)
                    .getArtifactResults();
        } catch (DependencyResolutionException e) {
            throw new MojoExecutionException(
                    "-D" + PropertyNames.BUNDLE + "=" + spec + ": cannot resolve the bundle (" + e.getMessage()
                            + "). Is that version released to a repository of this project, or installed"
                            + " (mvn install)?",
                    e);
        }
        Path jar = null;
        List<Path> dependencies = new ArrayList<>();
        for (ArtifactResult result : resolved) {
            Path file = result.getArtifact().getFile().toPath();
            boolean root = result.getArtifact().getGroupId().equals(gav[0])
                    && result.getArtifact().getArtifactId().equals(gav[1]);
            if (root && jar == null) {
                jar = file;
            } else {
                dependencies.add(file);
            }
        }
        return new Settings.Bundle(spec, jar, dependencies);
    }
}

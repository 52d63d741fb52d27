package io.github.flinkdbt.testing;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.RenderOverrides;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How to test: the settings (what data tests read, where the home and the cluster are), where to
 * report, and how to render the project again with other vars, environment or macros.
 *
 * @param rendered the project rendered again with a unit test's {@code overrides}
 */
public record TestOptions(Settings settings, Invocation invocation, Function<RenderOverrides, Project> rendered) {

    /** Data tests read the tables of the home (as {@code run} or a deploy left them), not fixtures. */
    boolean deployed() {
        return settings.test().deployed();
    }

    /** With {@link #deployed()}: an Iceberg snapshot id or a time to read the tables at; null for now. */
    String asOf() {
        return settings.test().asOf();
    }

    /** The same options with data tests reading the home's tables as they are now (a run's own tests). */
    public TestOptions againstDeployed() {
        return new TestOptions(settings.toBuilder().deployed(true).asOf(null).build(), invocation, rendered);
    }

    URI home() {
        return settings.home();
    }

    /** Where given rows are written for the cluster to read. */
    Path workDirectory() {
        return settings.compile().outputDirectory().resolveSibling("flink-dbt-test");
    }

    Map<String, String> flinkConfiguration() {
        return settings.compile().flinkConfiguration();
    }

    List<Path> classpath() {
        return settings.compile().classpath();
    }

    /** A running cluster's REST address; null to start an embedded one for the whole run. */
    URI cluster() {
        return settings.cluster();
    }

    BuildLog log() {
        return invocation.log();
    }

    Hints hints() {
        return invocation.hints();
    }
}
